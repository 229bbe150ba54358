import { crashSuite } from './suite.js';

crashSuite('snapshot', { autosaveEvery: 5 });
