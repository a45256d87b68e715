import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CERT_MANAGER_VERSION, CONTROL_PLANE_VERSIONS } from '../../dev/cluster/versions.js';

describe('pinned versions', () => {
  const goMod = readFileSync(new URL('../../dev/cluster/controlplane/go.mod', import.meta.url), 'utf8');

  it('pins the same Kubernetes in go.mod as versions.ts records', () => {
    assert.match(
      goMod,
      new RegExp(`k8s\\.io/kubernetes ${CONTROL_PLANE_VERSIONS.kubernetes.replace(/\./g, '\\.')}\\b`),
    );
    const staging = CONTROL_PLANE_VERSIONS.kubernetes.replace(/^v1\./, 'v0.');
    const replaces = goMod.match(/k8s\.io\/[\w-]+ => k8s\.io\/[\w-]+ (v\S+)/g) ?? [];
    assert.ok(replaces.length >= 30, 'every staging module is replaced');
    for (const line of replaces) assert.ok(line.endsWith(staging), `${line} should end with ${staging}`);
  });

  it('pins the same etcd server in go.mod as versions.ts records', () => {
    assert.match(
      goMod,
      new RegExp(`go\\.etcd\\.io/etcd/server/v3 ${CONTROL_PLANE_VERSIONS.etcd.replace(/\./g, '\\.')}\\b`),
    );
  });

  it('pins the same cert-manager module in certmanager/go.mod as versions.ts records', () => {
    const certManagerGoMod = readFileSync(new URL('../../dev/cluster/certmanager/go.mod', import.meta.url), 'utf8');
    assert.match(
      certManagerGoMod,
      new RegExp(`github\\.com/cert-manager/cert-manager ${CERT_MANAGER_VERSION.replace(/\./g, '\\.')}\\b`),
    );
  });
});
