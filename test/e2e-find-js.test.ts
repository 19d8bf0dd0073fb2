// Finding things in real Chromium with JavaScript, on a desktop and at 390 px (test/helpers/find-suite.ts).
import { findSuite } from './helpers/find-suite.js';

findSuite([{ js: true, width: 1280 }, { js: true, width: 390 }], 'focus ring');
