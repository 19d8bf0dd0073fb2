// Finding things in real Chromium without JavaScript, on a desktop and at 390 px (test/helpers/find-suite.ts).
import { findSuite } from './helpers/find-suite.js';

findSuite([{ js: false, width: 1280 }, { js: false, width: 390 }], 'logged out');
