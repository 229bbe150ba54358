import { modelSuite } from './suite.js';

modelSuite('snapshot', { autosaveEvery: 97 });
