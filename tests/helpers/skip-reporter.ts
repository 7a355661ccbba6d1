// Prints, after vitest's own summary, one line per test skipped for a missing system tool (see
// tools.ts), so a bare machine's `npm test` says what it did not run and what to install.
import { relative } from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';

export default class SkipReporter implements Reporter {
  private lines: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state === 'skipped' && result.note?.startsWith('needs ')) {
      this.lines.push(`skipped ${relative(process.cwd(), test.module.moduleId)} > ${test.fullName}: ${result.note}`);
    }
  }

  onTestRunEnd(): void {
    if (this.lines.length === 0) return;
    const out = [
      `${this.lines.length} test(s) skipped for missing system tools (JWTKIT_TEST_REQUIRE_ALL=1 makes each a failure, except for a tool Debian does not package):`,
      ...this.lines.sort(),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    this.lines = [];
  }
}
