import { TerraformElement, TerraformProvider, TerraformStack } from 'cdktf';
import type { IConstruct, IValidation } from 'constructs';
import { isEphemeralResourceLike } from './brand.js';
import type { EphemeralResourceLike } from './brand.js';
import { resolveIn } from './cdktf-internals.js';
import type { JsonObject } from './cdktf-internals.js';

/** Constructs of a stack, without descending into nested stacks. */
export function constructsOfStack(stack: TerraformStack): IConstruct[] {
  const out: IConstruct[] = [];
  const visit = (c: IConstruct): void => {
    for (const child of c.node.children) {
      if (TerraformStack.isStack(child)) continue;
      out.push(child);
      visit(child);
    }
  };
  visit(stack);
  return out;
}

/** Ephemeral resource elements of a stack (nested stacks excluded). */
export function ephemeralResourcesOf(stack: TerraformStack): EphemeralResourceLike[] {
  return constructsOfStack(stack).filter(isEphemeralResourceLike);
}

function providerMatches(provider: TerraformProvider, providerName: string): boolean {
  return (
    provider.terraformResourceType === providerName ||
    provider.terraformGeneratorMetadata?.providerName === providerName
  );
}

const PROVIDER_HINTS: Readonly<Record<string, string>> = {
  kubernetes:
    "new KubernetesProvider(this, 'kubernetes', { configPath: '~/.kube/config' }) (import it from '@cdktf/provider-kubernetes/lib/provider/index.js')",
  kubecsr:
    "new KubeCsrProvider(this, 'kubecsr', { configPath: '~/.kube/config' }) (installed with `npx kube-csr provider install`)",
};

const PROVIDER_CLASSES: Readonly<Record<string, string>> = {
  kubernetes: 'KubernetesProvider',
  kubecsr: 'KubeCsrProvider',
};

/**
 * Tree-wide check that every ephemeral resource of the stack has a provider configuration to run with:
 * an explicit `provider` that serves its type (its own provider or one of its `alternativeProviderNames`, e.g.
 * kubecsr), or a default (alias-less) provider of its type in the same stack. Alternative providers are never
 * implied: Terraform picks the provider from the type name unless the block names one.
 * cdktf's own ValidateProviderPresence only looks at resources and data sources.
 */
export class EphemeralProviderPresenceValidation implements IValidation {
  public constructor(private readonly stack: TerraformStack) {}

  /** One message per ephemeral resource without a provider to run it, naming the construct and the fix. */
  public validate(): string[] {
    const constructs = constructsOfStack(this.stack);
    const providers = constructs.filter((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c));
    const problems: string[] = [];
    const missing = new Map<string, { paths: string[]; alternatives: readonly string[] }>();
    for (const element of constructs.filter(isEphemeralResourceLike)) {
      const name = element.providerName;
      const alternatives = element.alternativeProviderNames ?? [];
      if (element.provider) {
        const accepted = [name, ...alternatives];
        if (!accepted.some((n) => providerMatches(element.provider as TerraformProvider, n))) {
          problems.push(
            `the ephemeral resource '${element.node.path}' (${element.terraformResourceType}) names the provider ` +
              `'${element.provider.node.path}' of type "${element.provider.terraformResourceType}", which does not serve it; ` +
              `allowed: ${accepted.map((n) => `a "${n}" provider`).join(' or ')}; fix: pass one of those as \`provider\``,
          );
        }
        continue;
      }
      if (providers.some((p) => providerMatches(p, name) && p.alias === undefined)) continue;
      const entry = missing.get(name) ?? { paths: [], alternatives };
      entry.paths.push(element.node.path);
      missing.set(name, entry);
    }
    for (const [name, { paths, alternatives }] of missing) {
      const aliased = providers.filter((p) => providerMatches(p, name)).map((p) => p.alias);
      const found =
        aliased.length > 0
          ? `only aliased "${name}" providers (${aliased.map((a) => JSON.stringify(a)).join(', ')}) are configured`
          : `no "${name}" provider is configured`;
      const present = alternatives.filter((alt) => providers.some((p) => providerMatches(p, alt)));
      const example = PROVIDER_HINTS[name] ?? `a ${name} provider construct`;
      const elements = paths.map((p) => `'${p}'`).join(', ');
      if (present.length > 0) {
        const kinds = present.map((alt) => PROVIDER_CLASSES[alt] ?? `"${alt}" provider`).join(' or ');
        problems.push(
          `${found} in stack '${this.stack.node.id}', and ephemeral resources ${elements} name no provider: Terraform would ` +
            `imply hashicorp/${name} from their type name although a ${present.map((a) => `"${a}"`).join(', ')} provider is configured. ` +
            `Pass \`provider\` (the ${kinds}) to each of them, or add a default provider, e.g. ${example}.`,
        );
        continue;
      }
      const also = alternatives.map((alt) => PROVIDER_CLASSES[alt] ?? `a "${alt}" provider`);
      problems.push(
        `${found} in stack '${this.stack.node.id}', but ephemeral resources ${elements} need one. ` +
          `Add a default provider, e.g. ${example}, or pass \`provider\`${also.length > 0 ? ` (also a ${also.join(' or ')})` : ''} to each of them.`,
      );
    }
    return problems;
  }
}

/** Write-only arguments known by name (besides the `_wo` suffix convention of HashiCorp providers). */
export const WRITE_ONLY_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  kubernetes_secret_v1: ['data_wo', 'binary_data_wo'],
};

/** Resource arguments where Terraform accepts ephemeral values besides write-only ones. */
const EPHEMERAL_FRIENDLY_RESOURCE_BLOCKS = new Set(['provisioner', 'connection']);

function isWriteOnlyArgument(resourceType: string, argument: string): boolean {
  return argument.endsWith('_wo') || (WRITE_ONLY_ARGUMENTS[resourceType] ?? []).includes(argument);
}

/** `${...}` template expressions of a string (`$${` escapes skipped). */
function templateExpressions(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('${');
  while (i !== -1) {
    if (i > 0 && text[i - 1] === '$') {
      i = text.indexOf('${', i + 2);
      continue;
    }
    let depth = 1;
    let j = i + 2;
    while (j < text.length && depth > 0) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}') depth--;
      j++;
    }
    out.push(text.slice(i + 2, j - 1));
    i = text.indexOf('${', j);
  }
  return out;
}

const EPHEMERAL_REF = /(?<![\w.])ephemeral\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*)?)/g;
const LOCAL_REF = /(?<![\w.])local\.([A-Za-z_][\w-]*)/g;

interface Reference {
  /** `ephemeral.<type>.<name>` or `local.<name>` */
  readonly address: string;
  /** the address as written, with the attribute, e.g. `ephemeral.<type>.<name>.certificate` */
  readonly text: string;
  /** attribute path inside the element, e.g. `data.tls.crt` */
  readonly path: readonly string[];
}

function referencesIn(value: unknown, path: readonly string[] = []): Reference[] {
  if (typeof value === 'string') {
    const refs: Reference[] = [];
    for (const expr of templateExpressions(value)) {
      for (const m of expr.matchAll(EPHEMERAL_REF)) {
        refs.push({ address: `ephemeral.${m[1]}.${m[2]}`, text: m[0], path });
      }
      for (const m of expr.matchAll(LOCAL_REF)) refs.push({ address: `local.${m[1]}`, text: m[0], path });
    }
    return refs;
  }
  if (Array.isArray(value)) {
    return value.flatMap((v: unknown, i) => referencesIn(v, [...path, String(i)]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as JsonObject)
      .filter(([k]) => k !== '//')
      .flatMap(([k, v]) => referencesIn(v, [...path, k]));
  }
  return [];
}

interface Fragment {
  readonly element: TerraformElement;
  readonly json: JsonObject;
}

function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : {};
}

/**
 * Tree-wide check that ephemeral values (anything read from an `ephemeral.*` address, directly or through locals)
 * only flow where Terraform accepts them: write-only arguments, provider blocks, locals, other ephemeral resources,
 * provisioner and connection blocks. Root-module outputs, ordinary resource and data source arguments, and other
 * stacks (cdktf would pass the value through a root output and terraform_remote_state) are reported.
 */
export class EphemeralValueUsageValidation implements IValidation {
  public constructor(private readonly stack: TerraformStack) {}

  /** One message per place an ephemeral value flows where Terraform rejects it, naming the construct and the fix. */
  public validate(): string[] {
    const elements = constructsOfStack(this.stack).filter((c): c is TerraformElement =>
      TerraformElement.isTerraformElement(c),
    );
    const fragments: Fragment[] = [];
    for (const element of elements) {
      try {
        fragments.push({ element, json: asObject(resolveIn(this.stack, element.toTerraform())) });
      } catch {
        // an element that cannot synthesize fails synthesis itself with its own error
      }
    }
    const ownEphemeral = new Set(
      ephemeralResourcesOf(this.stack).map((e) => `ephemeral.${e.terraformResourceType}.${e.friendlyUniqueId}`),
    );

    // locals that carry an ephemeral value, directly or through other locals
    const localRefs = new Map<string, Reference[]>();
    for (const { json } of fragments) {
      for (const [name, value] of Object.entries(asObject(json.locals))) {
        localRefs.set(`local.${name}`, referencesIn(value));
      }
    }
    const origin = new Map<string, string>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const [local, refs] of localRefs) {
        if (origin.has(local)) continue;
        const via = refs.find((r) => r.address.startsWith('ephemeral.') || origin.has(r.address));
        if (via) {
          origin.set(local, via.address.startsWith('ephemeral.') ? via.text : (origin.get(via.address) ?? ''));
          changed = true;
        }
      }
    }

    const problems: string[] = [];
    const ephemeralSource = (ref: Reference): string | undefined =>
      ref.address.startsWith('ephemeral.') ? ref.text : origin.get(ref.address);
    const describe = (ref: Reference): string => {
      const source = ephemeralSource(ref) ?? ref.text;
      return ref.text === source
        ? `the ephemeral value ${source}`
        : `the ephemeral value ${source} (through ${ref.text})`;
    };

    for (const { element, json } of fragments) {
      const where = `'${element.node.path}'`;
      for (const ref of referencesIn(json)) {
        if (ref.address.startsWith('ephemeral.') && !ownEphemeral.has(ref.address)) {
          problems.push(
            `${describe(ref)} used by ${where} belongs to another stack. Ephemeral values cannot cross stacks: cdktf would pass them ` +
              'through a root-module output and terraform_remote_state, which Terraform rejects. ' +
              'Create the ephemeral resource in the stack that uses it.',
          );
        }
      }
      if (json.output !== undefined) {
        for (const ref of referencesIn(json.output)) {
          if (!ephemeralSource(ref)) continue;
          problems.push(
            element.node.id.startsWith('cross-stack-output-')
              ? `${describe(ref)} is referenced from another stack (cdktf created the cross-stack output ${where} for it). ` +
                  'Ephemeral values cannot cross stacks: Terraform rejects them in root-module outputs and remote state. ' +
                  'Create the ephemeral resource in the stack that uses it.'
              : `${describe(ref)} is used in the output ${where}. Terraform rejects ephemeral values in root-module outputs ` +
                  '(they would be persisted). Remove the output, or output something derived that is not secret from a non-ephemeral source.',
          );
        }
      }
      if (json.data !== undefined) {
        for (const ref of referencesIn(json.data)) {
          if (!ephemeralSource(ref)) continue;
          problems.push(
            `${describe(ref)} is used in argument "${ref.path.slice(2).join('.')}" of the data source ${where}. ` +
              'Terraform accepts ephemeral values only in write-only arguments, provider blocks, locals, other ephemeral resources, ' +
              'and provisioner/connection blocks.',
          );
        }
      }
      if (json.resource !== undefined) {
        for (const [type, byName] of Object.entries(asObject(json.resource))) {
          for (const attributes of Object.values(asObject(byName))) {
            for (const [argument, value] of Object.entries(asObject(attributes))) {
              if (argument === '//' || EPHEMERAL_FRIENDLY_RESOURCE_BLOCKS.has(argument)) continue;
              if (isWriteOnlyArgument(type, argument)) continue;
              for (const ref of referencesIn(value, [argument])) {
                if (!ephemeralSource(ref)) continue;
                problems.push(
                  `${describe(ref)} is used in argument "${ref.path.join('.')}" of the ${type} resource ${where}, which is not write-only. ` +
                    'Terraform rejects ephemeral values in ordinary resource arguments because they would be stored in state. ' +
                    'Allowed: write-only arguments (e.g. kubernetes_secret_v1 data_wo with data_wo_revision, see TlsSecretV1), ' +
                    'provider blocks, locals and other ephemeral resources.',
                );
              }
            }
          }
        }
      }
    }
    return [...new Set(problems)];
  }
}
