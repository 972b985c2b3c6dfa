// @rheo/flows/testing: the property checks of rheo's layers, for authors of
// new layers and transformers (in this repository or in their own package).
// No test framework is imported: checks return results, and
// `describeLayerProperties` takes the framework's `describe` and `it`.
export { assertChecks, compareArrays, PropertyCheckError, type CheckResult } from './check-result.js';
export { checkTransform, type CheckOptions } from './check-transform.js';
export { checkGradients } from './check-gradients.js';
export { checkContext } from './check-context.js';
export { checkBackendAgreement } from './check-backends.js';
export {
  assertLayer, checkLayer, layerInputs, perturbed, type LayerCase, type LayerCheck, type LayerInputs, type TestedTransform,
} from './layer-case.js';
export { describeBackendAgreement, describeLayerProperties, type LayerPropertyOptions, type TestRunner } from './describe-layer-properties.js';
export { transformerCases, type TransformerCaseOptions } from './transformer-cases.js';
export { TRANSFORM_CASES } from './transform-cases.js';
export { bruteForceLogDet, logAbsDet } from './log-abs-det.js';
export { jacobians } from './jacobian.js';
export { perturb } from './perturb.js';
export { flatView } from './flat-view.js';
export { transformerLayer } from './transformer-layer.js';
