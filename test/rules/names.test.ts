import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  generateNamePrefixProblems,
  isKubernetesSignerName,
  signerNameProblems,
  toDns1123Subdomain,
} from '../../src/rules/index.js';

describe('dns1123SubdomainProblems', () => {
  const valid = ['a', 'csr-1', 'alice.client', '0abc', 'a'.repeat(253), 'a-b.c-d.e'];
  for (const value of valid) {
    it(`accepts ${JSON.stringify(value.length > 20 ? `${value.slice(0, 10)}...(${value.length})` : value)}`, () => {
      assert.deepEqual(dns1123SubdomainProblems(value), []);
    });
  }
  const invalid: [string, RegExp][] = [
    ['', /must not be empty/],
    ['Alice', /lower case alphanumeric/],
    ['alice_client', /lower case alphanumeric/],
    ['-alice', /start and end with an alphanumeric/],
    ['alice-', /start and end with an alphanumeric/],
    ['a..b', /lower case alphanumeric/],
    ['a'.repeat(254), /no more than 253 characters/],
  ];
  for (const [value, problem] of invalid) {
    it(`fails when the name is ${JSON.stringify(value.slice(0, 20))}${value.length > 20 ? '...' : ''}`, () => {
      const problems = dns1123SubdomainProblems(value);
      assert.ok(
        problems.some((p) => problem.test(p)),
        problems.join('; '),
      );
    });
  }
});

describe('dns1123LabelProblems', () => {
  it('accepts a 63-character label', () => {
    assert.deepEqual(dns1123LabelProblems('a'.repeat(63)), []);
  });
  it('fails when a label is longer than 63 characters or has a dot', () => {
    assert.match(dns1123LabelProblems('a'.repeat(64)).join(), /no more than 63/);
    assert.match(dns1123LabelProblems('a.b').join(), /alphanumeric characters or '-'/);
  });
});

describe('generateNamePrefixProblems', () => {
  it('accepts a prefix ending in a dash, as Kubernetes masks one trailing dash', () => {
    assert.deepEqual(generateNamePrefixProblems('csr-'), []);
    assert.deepEqual(generateNamePrefixProblems('alice.client-'), []);
  });
  it('fails when the prefix starts with a dash, has uppercase letters or is a lone dash', () => {
    assert.notDeepEqual(generateNamePrefixProblems('-csr'), []);
    assert.notDeepEqual(generateNamePrefixProblems('CSR-'), []);
    assert.notDeepEqual(generateNamePrefixProblems('-'), []);
    assert.notDeepEqual(generateNamePrefixProblems('-a-'), []);
  });
  it('masks the trailing dash exactly like apimachinery (last two characters become "a")', () => {
    assert.deepEqual(generateNamePrefixProblems('csr--'), []);
    assert.deepEqual(generateNamePrefixProblems('a-'), []);
  });
});

describe('signerNameProblems (apiserver ValidateSignerName)', () => {
  const valid = [
    'kubernetes.io/kube-apiserver-client',
    'example.com/my-signer',
    'sub.example.com/ns.name',
    'issuers.cert-manager.io/default.ca',
    `${'a'.repeat(63)}.com/${'b'.repeat(253)}`,
  ];
  for (const value of valid) {
    it(`accepts ${JSON.stringify(value.slice(0, 40))}`, () => {
      assert.deepEqual(signerNameProblems(value), []);
    });
  }
  const invalid: [string, RegExp][] = [
    ['', /must not be empty/],
    ['example.com', /fully qualified domain and path/],
    ['example.com/a/b', /fully qualified domain and path/],
    ['localhost/signer', /at least two segments/],
    ['Example.com/signer', /domain label "Example"/],
    ['example.com/Signer', /path label "Signer"/],
    ['example.com/', /path label ""/],
    [`${'a'.repeat(64)}.com/x`, /no more than 63/],
  ];
  for (const [value, problem] of invalid) {
    it(`fails when the signer name is ${JSON.stringify(value.slice(0, 40))}`, () => {
      const problems = signerNameProblems(value);
      assert.ok(
        problems.some((p) => problem.test(p)),
        problems.join('; '),
      );
    });
  }
  it('fails when the whole name is longer than 571 characters', () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.com/${'c'.repeat(253)}.${'d'.repeat(253)}`;
    assert.match(signerNameProblems(long).join(), /no more than 571/);
  });
});

describe('isKubernetesSignerName', () => {
  it('recognises kubernetes.io and its subdomains only', () => {
    assert.equal(isKubernetesSignerName('kubernetes.io/foo'), true);
    assert.equal(isKubernetesSignerName('beta.kubernetes.io/foo'), true);
    assert.equal(isKubernetesSignerName('notkubernetes.io/foo'), false);
    assert.equal(isKubernetesSignerName('example.com/kubernetes.io'), false);
  });
});

describe('toDns1123Subdomain', () => {
  it('turns user names into valid object names', () => {
    for (const text of ['Alice', 'system:node:worker-1', '__x__', 'a@b.c', '...', '']) {
      const name = toDns1123Subdomain(text);
      assert.deepEqual(dns1123SubdomainProblems(name), [], `${text} -> ${name}`);
    }
    assert.equal(toDns1123Subdomain('system:node:Worker_1'), 'system-node-worker-1');
    assert.equal(toDns1123Subdomain('a'.repeat(100), 40).length, 40);
  });
});
