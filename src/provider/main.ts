#!/usr/bin/env node
// terraform-provider-kubecsr: started by Terraform through the launcher that `kube-csr provider install` writes.
import { launchProblem } from './plugin/handshake.js';

const problem = launchProblem(process.env);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const { servePlugin } = await import('./plugin/serve.js');
await servePlugin();
