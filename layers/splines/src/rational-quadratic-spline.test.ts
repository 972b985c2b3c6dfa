import { describeSplineSuite } from './spline-suite.js';

describeSplineSuite('cpu', (line) => console.info(line));
