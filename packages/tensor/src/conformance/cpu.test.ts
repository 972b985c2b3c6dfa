import '../backends/cpu.js';
import { describeConformance } from './describe-conformance.js';

describeConformance('cpu');
