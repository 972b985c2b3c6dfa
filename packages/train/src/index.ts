// @rheo/train: the training loop for rheo models.
export { fit, defaultBestPath } from './fit.js';
export type {
  FitOptions, FitResult, StepInfo, LossContext, LossFunction, EpochBatches, ValidationOptions, CheckpointOptions,
  ValidationRecord, StopReason,
} from './fit-options.js';
export { EPOCH_STREAM } from './epoch-batches.js';
export { VALIDATION_STREAM } from './validation.js';
export {
  learningRate, reduceOnPlateau, checkSchedule, type LearningRateSchedule, type StepSchedule, type PlateauSchedule, type PlateauState,
} from './schedule.js';
export {
  readCheckpoint, writeCheckpoint, writeBestCheckpoint, RESERVED_METADATA_KEYS, type TrainingState, type FitProgress,
} from './checkpoint-state.js';
