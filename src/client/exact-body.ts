import type { Client, ClientPathsWithMethod, FetchResponse, MaybeOptionalInit } from 'openapi-fetch';
import type { paths } from './schema.js';

// openapi-fetch infers a call's options as a type parameter, and TypeScript checks no excess
// properties against a constraint: `{ body: { nam: 'x' } }` type-checked. These method types map
// every key of a body that the route does not take to `never`, so a misspelled field is an error.

export type BodyMethod = 'post' | 'put' | 'patch';
type Media = `${string}/${string}`;

/** What the route takes as its JSON body. */
type ExpectedBody<Path extends keyof paths, Method extends BodyMethod> =
  NonNullable<MaybeOptionalInit<paths[Path], Method>> extends { body?: infer Body } ? Body : never;

/** `Given` with each key `Expected` lacks typed `never`, in nested objects too (records accept any key). */
type KnownKeysOnly<Given, Expected> = Given extends readonly unknown[]
  ? Given
  : Given extends object
    ? { [Key in keyof Given]: Key extends keyof NonNullable<Expected> ? KnownKeysOnly<Given[Key], NonNullable<Expected>[Key]> : never }
    : Given;

type ExactInit<Init, Path extends keyof paths, Method extends BodyMethod> = Init extends { body: infer Body }
  ? Omit<Init, 'body'> & { body: KnownKeysOnly<Body, ExpectedBody<Path, Method>> }
  : Init;

/** Optional when the route needs neither parameters nor a body, as in openapi-fetch. */
type InitArgument<Init> = {} extends NonNullable<Init> ? [init?: Init] : [init: Init];

/** openapi-fetch's method of that name, with exact bodies. */
export type ExactBodyMethod<Method extends BodyMethod> = <
  Path extends ClientPathsWithMethod<Client<paths>, Method>,
  Init extends MaybeOptionalInit<paths[Path], Method>,
>(
  url: Path,
  ...init: InitArgument<ExactInit<Init, Path, Method>>
) => Promise<FetchResponse<Extract<paths[Path][Method], Record<string | number, any>>, Init, Media>>;
