import { RheoError } from '@rheo/tensor';

/**
 * A model, layer or graph that cannot be written as a static ONNX graph: it reads tensor values
 * back into JS during the pass, draws random numbers inside it, or its shapes do not follow the
 * batch size linearly. The message names the layer and why.
 */
export class ExportError extends RheoError {}
