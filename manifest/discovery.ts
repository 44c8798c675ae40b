import type { CorsManifest } from './types';

// The discovery document: what a deployed function learns about its stack at
// run time. The template stage writes it (with Fn::Sub) into one environment
// variable; runtime/discover.ts reads it. Both sides use these names.

/** The environment variable that carries the JSON document. */
export const DISCOVERY_ENV = 'SPARTA_DISCOVERY';

export interface DiscoveredResource {
  /** CloudFormation type, e.g. `AWS::SNS::Topic`. */
  type: string;
  /** What `Ref` returns for the resource (a name, ARN or URL depending on the type). */
  ref: string;
  /** The attributes the function names with `GetAtt` or `Sub('${Id.Attr}')`. */
  attributes: Record<string, string>;
}

export interface DiscoveryDocument {
  stackName: string;
  stackId: string;
  region: string;
  /** The function's own logical ID in the template. */
  logicalId: string;
  /** The stage the stack was deployed with (`--stage`); absent without one. */
  stage?: string;
  /** The service's HTTP or REST API: its invoke URL (no trailing slash), type and stage; a REST API's `cors`, which its handler answers with. */
  api?: { url: string; type: 'http' | 'rest'; stage: string; cors?: CorsManifest };
  /** The service's WebSocket API: `wss://` URL, and the `https://` endpoint `sendToConnection` posts to. */
  websocket?: { url: string; managementEndpoint: string };
  /** Keyed by logical ID: every resource the function depends on. */
  resources: Record<string, DiscoveredResource>;
}
