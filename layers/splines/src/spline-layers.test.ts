import { describeSplineLayerSuite } from './spline-layer-suite.js';

describeSplineLayerSuite('cpu', (line) => console.info(line));
