// @rheo/train: the training loop for rheo models.
export { fit, type FitOptions, type FitResult, type StepInfo } from './fit.js';
export { learningRate, type LearningRateSchedule } from './schedule.js';
export { readCheckpoint, writeCheckpoint, type TrainingState } from './checkpoint-state.js';
