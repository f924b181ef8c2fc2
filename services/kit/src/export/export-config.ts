import { cleanEnv, num } from 'envalid';
import { strictEnvReporter } from '../config/env';
import { DEFAULT_EXPORT_SETTINGS, type ExportSettings } from './export-route';

export type ExportConfig = { export: ExportSettings };

/** The export settings of a service; called only from a service's `config.ts`. */
export function readExportEnv(env: NodeJS.ProcessEnv): ExportConfig {
  const values = cleanEnv(env, {
    EXPORT_MAX_ROWS: num({ default: DEFAULT_EXPORT_SETTINGS.maxRows, desc: 'Most rows one registry export (XLSX / CSV) may have; more is refused with 400' }),
    EXPORT_PAGE_SIZE: num({ default: DEFAULT_EXPORT_SETTINGS.pageSize, desc: 'Rows read per keyset page while an export streams' }),
  }, { reporter: strictEnvReporter });
  return { export: { maxRows: Math.max(1, Math.floor(values.EXPORT_MAX_ROWS)), pageSize: Math.min(10_000, Math.max(1, Math.floor(values.EXPORT_PAGE_SIZE))) } };
}
