import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/cli/errors.js';
import { formatDuration, parseDuration, parseTime } from '../../src/cli/flags.js';
import { Progress, type OutputStreams } from '../../src/cli/output.js';

describe('durations', () => {
  const good: [string, number][] = [
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
  ];
  for (const [text, ms] of good) {
    it(`GIVEN ${text} WHEN parsed THEN it is ${ms} ms and formats back`, () => {
      assert.equal(parseDuration('issue', 'timeout', text), ms);
      assert.equal(parseDuration('issue', 'timeout', formatDuration(ms)), ms);
    });
  }

  const bad: [string, RegExp][] = [
    ['10', /a number needs a unit/],
    ['ten minutes', /not a duration/],
    ['-5m', /not a duration/],
    ['1y', /not a duration/],
    ['', /not a duration/],
    ['5us', /not a duration/],
    ['.5h', /not a duration/],
    ['1.h', /not a duration/],
    ['1h 30m', /not a duration/],
  ];
  for (const [text, problem] of bad) {
    it(`fails when the duration is ${JSON.stringify(text)}, naming the flag and the value`, () => {
      assert.throws(
        () => parseDuration('issue', 'timeout', text),
        (error: unknown) =>
          error instanceof UsageError &&
          error.command === 'issue' &&
          error.message.startsWith(`invalid value ${JSON.stringify(text)} for --timeout: `) &&
          problem.test(error.message),
      );
    });
  }

  it('fails when the duration is under the minimum, saying the minimum and why', () => {
    assert.throws(
      () => parseDuration('issue', 'expiration', '9m59s', { minMs: 600_000, minReason: "the API's minimum" }),
      /invalid value "9m59s" for --expiration: too short; allowed: .* of at least 10m \(the API's minimum\)/,
    );
  });
});

describe('times', () => {
  const good: [string, string][] = [
    ['2026-11-29T10:00:00Z', '2026-11-29T10:00:00.000Z'],
    ['2026-11-29T10:00:00.250Z', '2026-11-29T10:00:00.250Z'],
    ['2026-11-29T11:00:00+01:00', '2026-11-29T10:00:00.000Z'],
    ['2026-11-29t10:00:00z', '2026-11-29T10:00:00.000Z'],
  ];
  for (const [text, iso] of good) {
    it(`GIVEN ${text} WHEN parsed THEN it is ${iso}`, () => {
      assert.equal(parseTime('gc', 'created-before', text).toISOString(), iso);
    });
  }

  for (const text of [
    'yesterday',
    '2026-11-29',
    '2026-11-29 10:00:00Z',
    '2026-11-29T10:00:00',
    '2026-13-40T10:00:00Z',
  ]) {
    it(`fails when the time is ${JSON.stringify(text)}, naming the flag and the value`, () => {
      assert.throws(
        () => parseTime('gc', 'created-before', text),
        (error: unknown) =>
          error instanceof UsageError &&
          error.command === 'gc' &&
          error.message.startsWith(`invalid value ${JSON.stringify(text)} for --created-before: not an RFC 3339 time`),
      );
    });
  }
});

function capture(isTTY: boolean): { out: OutputStreams; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { out: { stdout: sink, stderr: sink, stderrIsTTY: isTTY, color: false }, text: () => text };
}

describe('progress', () => {
  it('GIVEN no terminal WHEN steps run THEN each finished step is one plain line with its timing', () => {
    const { out, text } = capture(false);
    const progress = new Progress(out, 2);
    progress.start('Generate').done('Generated');
    progress.note('a note');
    progress.start('Wait').fail();
    assert.match(text(), /^\[1\/2\] Generated \(\d+ ms\)\na note\nfailed: \[2\/2\] Wait \(\d+ ms\)\n$/);
  });

  it('GIVEN a terminal WHEN a step runs THEN a spinner line is redrawn and replaced by a check mark line', () => {
    const { out, text } = capture(true);
    const progress = new Progress(out, 1);
    const step = progress.start('Wait for approval');
    progress.note('run: kube-csr approve x');
    step.done('Approved');
    progress.close();
    const shown = text().replaceAll('\x1b[K', '<clear>');
    assert.match(shown, /\r<clear>. \[1\/1\] Wait for approval \d+ ms/);
    assert.match(shown, /\r<clear> {2}run: kube-csr approve x\n/);
    assert.match(shown, /\r<clear>✔ \[1\/1\] Approved \(\d+ ms\)\n$/);
  });
});
