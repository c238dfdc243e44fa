/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';
import { project, projectDirs } from './jest.preset';

const config: Config = {
  projects: projectDirs().map(project),
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
};

export default config;
