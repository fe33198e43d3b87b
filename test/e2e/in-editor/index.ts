// The extensionTestsPath module (bundled to out/e2e/in-editor.js): VS Code calls run(); a rejection makes the host exit 1.
import { CASES } from './cases';
import { runCases, writeReport } from './harness';

export async function run(): Promise<void> {
  const report = await runCases(CASES, (line) => console.log(line));
  writeReport(report, process.env.SYSARG_E2E_RESULT);
  if (report.failed > 0) throw new Error(`${report.failed} of ${report.results.length} in-editor cases failed`);
}
