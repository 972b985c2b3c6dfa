import { describeLayerProperties, transformerCases } from '@rheo/flows/testing';
import { describe, it } from 'vitest';
import { sinhArcsinh } from './sinh-arcsinh.js';

// One row: the transformer in a coupling, a MAF and a semi-autoregressive layer, each with a context.
describeLayerProperties({ describe, it }, 'the CPU', transformerCases('sinh-arcsinh', sinhArcsinh));
