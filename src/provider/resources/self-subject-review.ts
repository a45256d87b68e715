import { errorDiagnostic, type Diagnostic } from '../values/diagnostics.js';
import type { TerraformObject } from '../values/dynamic-value.js';
import type { BlockSchema } from '../values/schema.js';
import type { DataSourceType, ServeContext } from './types.js';

/** The data source type: who the provider's credentials are. */
export const SELF_SUBJECT_REVIEW_TYPE = 'kubecsr_self_subject_review';

const SCHEMA: BlockSchema = {
  description:
    "Who the provider's credentials authenticate as, from a SelfSubjectReview: `kubectl auth whoami` for Terraform. " +
    'Through a provider alias configured with an issued certificate, it proves the certificate works.',
  attributes: {
    username: { type: 'string', computed: true, description: 'The user name the API server sees.' },
    uid: { type: 'string', computed: true, description: 'The user UID, when the authenticator sets one.' },
    groups: { type: ['list', 'string'], computed: true, description: 'The groups, including system:authenticated.' },
    extra: {
      type: ['map', ['list', 'string']],
      computed: true,
      description: 'Extra attributes the authenticator attached.',
    },
  },
};

/** `kubecsr_self_subject_review`: a SelfSubjectReview with the provider's credentials. */
export class SelfSubjectReview implements DataSourceType {
  public readonly typeName = SELF_SUBJECT_REVIEW_TYPE;
  public readonly schema = SCHEMA;

  public validate(): Diagnostic[] {
    return [];
  }

  public async read(_config: TerraformObject, context: ServeContext) {
    const { reviewSelf } = await import('../../runtime/self-subject-review.js');
    try {
      const identity = await reviewSelf(await context.kubeConfig(), context.signal);
      return {
        state: {
          username: identity.username,
          uid: identity.uid,
          groups: [...identity.groups],
          extra: Object.fromEntries(Object.entries(identity.extra).map(([k, v]) => [k, [...v]])),
        },
        diagnostics: [],
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { diagnostics: [errorDiagnostic('The SelfSubjectReview failed', message)] };
    }
  }
}
