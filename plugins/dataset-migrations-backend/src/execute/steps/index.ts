import { catchUpStep } from './catchUpStep';
import { cleanupStep } from './cleanupStep';
import { copyStep } from './copyStep';
import { cutoverStep } from './cutoverStep';
import { preflightStep } from './preflightStep';
import { provisionStep } from './provisionStep';
import type { Step } from './Step';
import { verifyStep } from './verifyStep';

/** The steps in the order they run (MIGRATION_STEPS). */
export const STEPS: Step[] = [
  preflightStep,
  provisionStep,
  copyStep,
  catchUpStep,
  verifyStep,
  cutoverStep,
  cleanupStep,
];
