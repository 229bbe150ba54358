/**
 * picture.ts: the plain-JSON shapes a step of the simulated cluster is recorded as (the
 * Picture every pane is drawn from, and its parts), shared by cluster.ts, which makes them,
 * and render.ts and the tests, which read them. No code, no DOM.
 */
import type { ClusterConfig } from './cluster.js';
import type { MerklePicture } from './anti-entropy.js';
import type { NodePicture } from './replica.js';

/** What a node did in the step shown. */
export type Role = 'coordinator' | 'write' | 'hint' | 'read' | 'repair' | 'handoff' | 'down' | 'cut' | 'inflight';

/** One node's part in the operation shown. */
export interface Contact {
  node: string;
  role: Role;
  /** The value it sent or received (reads: undefined when it has no copy). */
  value?: string;
  ts?: number;
  /** For a hint: the home replica it stands in for. */
  for?: string;
  /** True for the step's own action (drawn strongest). */
  now?: boolean;
}

/** The end of a put or get. */
export interface Outcome {
  op: 'put' | 'get';
  key: string;
  ok: boolean;
  text: string;
  acks: number;
  needed: number;
  value?: string;
  ts?: number;
  /** A get that returned something older than the newest acknowledged write. */
  stale?: boolean;
}

/** The key an operation is about, and who takes part. */
export interface Focus {
  key: string;
  position: number;
  preference: string[];
  contacts: Contact[];
}

/** A write on its way to a node. */
export interface Message {
  to: string;
  key: string;
  value: string;
  ts: number;
  for?: string;
  /** The coordinator that sent it (a partition can stop it). */
  from?: string;
}

/** The whole cluster at one step: everything a renderer needs. */
export interface Picture {
  caption: string;
  config: ClusterConfig;
  clock: number;
  nodes: NodePicture[];
  inflight: Message[];
  focus?: Focus;
  outcome?: Outcome;
  merkle?: MerklePicture;
  /** The sides of the partition in force, if any. */
  sides?: string[][];
}
