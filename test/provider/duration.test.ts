import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGoDuration } from '../../src/rules/index.js';
import { parseDuration } from '../../src/provider/values/duration.js';

describe('the timeout syntax of the kubecsr types (ms, s, m, h; the shared Go parser, narrowed)', () => {
  const accepted: readonly [string, number][] = [
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    [' 5m ', 300_000],
    ['0s', 0],
  ];
  for (const [text, ms] of accepted) {
    it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => {
      assert.equal(parseDuration(text), ms);
    });
  }

  // Each of these is a Go duration (parseGoDuration takes it) that the timeout attribute refuses.
  const refusedButGo = ['10us', '10µs', '5ns', '-5m', '+5m', '0', '.5h', '1.h'];
  for (const text of refusedButGo) {
    it(`fails when the timeout is ${JSON.stringify(text)}, which only Go's syntax allows`, () => {
      assert.ok('ms' in parseGoDuration(text), 'Go takes it');
      assert.equal(parseDuration(text), undefined);
    });
  }

  const refused = ['', '5', '5 minutes', '1d', 'm', '5m5', '1e3s', '5sm'];
  for (const text of refused) {
    it(`fails when the timeout is ${JSON.stringify(text)}`, () => {
      assert.equal(parseDuration(text), undefined);
    });
  }
});
