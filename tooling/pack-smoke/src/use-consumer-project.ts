import { afterAll, beforeAll } from 'vitest';
import { createConsumerProject, type ConsumerOptions, type ConsumerProject } from './consumer-project.js';
import type { PublishablePackage } from './workspace-packages.js';

/**
 * Inside a describe block: packs and installs `packages` into a fresh consumer
 * project before its tests and removes it after; the returned function gives
 * the project to the tests.
 */
export function useConsumerProject(packages: readonly PublishablePackage[], timeoutMs = 120_000, options: ConsumerOptions = {}): () => ConsumerProject {
  let project: ConsumerProject | undefined;
  beforeAll(() => {
    project = createConsumerProject(packages, options);
  }, timeoutMs);
  afterAll(() => project?.remove());
  return () => {
    if (project === undefined) throw new Error('useConsumerProject: the consumer project was not created (see the beforeAll error)');
    return project;
  };
}
