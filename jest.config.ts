/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';
import { project, projectDirs } from './jest.preset';

const config: Config = {
  projects: projectDirs().map(project),
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  // A timeout catches hangs only (see jest.preset.ts); jest 30 reads it from the root config, not the projects'.
  testTimeout: 600_000,
};

export default config;
