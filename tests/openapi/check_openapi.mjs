// Checks docs/api/openapi.yaml against the server, with implementations of the standards that
// are not ours (package.json): the document against the OpenAPI 3.1 schema
// (@seriousme/openapi-schema-validator), its paths against the routes a real puented serves
// (`puented --routes`), and real requests and answers of a real node (openapi_test.cpp writes
// them) against its schemas (Ajv, JSON Schema 2020-12, with ajv-formats). Also that the
// WebSocket document beside it (asyncapi.yaml) names only messages proto/puente/v1 defines, and
// that the document's enums are the proto's.
//
//   node check_openapi.mjs --document docs/api/openapi.yaml --routes routes.txt \
//        --exchanges exchanges.jsonl [--asyncapi docs/api/asyncapi.yaml --proto puente.proto]
//
// Prints every problem found and exits 1 if there was any.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import YAML from "yaml";

const { values: args } = parseArgs({
  options: {
    document: { type: "string" },
    routes: { type: "string" },
    exchanges: { type: "string" },
    asyncapi: { type: "string" },
    proto: { type: "string" },
  },
});

const problems = [];
const problem = (text) => problems.push(text);

const doc = YAML.parse(readFileSync(args.document, "utf8"));
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

// 1. The document is OpenAPI 3.1, as its published schema says.
const validator = new Validator();
const checked = await validator.validate(structuredClone(doc));
if (!checked.valid)
  problem(`the document is not valid OpenAPI ${doc.openapi}: ${JSON.stringify(checked.errors, null, 1)}`);

// 2. Its paths are the router's routes, both ways ("GET /v1/incidents/{id}").
const documented = new Set();
for (const [path, item] of Object.entries(doc.paths ?? {}))
  for (const method of methods) if (item[method]) documented.add(`${method.toUpperCase()} ${path}`);
if (args.routes) {
  const served = new Set(
    readFileSync(args.routes, "utf8").split("\n").map((l) => l.trim()).filter(Boolean),
  );
  if (served.size === 0) problem(`${args.routes} lists no route`);
  for (const route of served)
    if (!documented.has(route)) problem(`route ${route} is served but not in the document`);
  for (const route of documented)
    if (!served.has(route)) problem(`${route} is in the document but the server has no such route`);
}

// 3. Real answers validate against the document.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const docId = "puente-openapi";
ajv.addSchema({ ...doc, $id: docId });
const compiled = new Map();
function validatorAt(pointer) {
  if (!compiled.has(pointer)) compiled.set(pointer, ajv.compile({ $ref: `${docId}#${pointer}` }));
  return compiled.get(pointer);
}
const escape = (key) => key.replaceAll("~", "~0").replaceAll("/", "~1");

// Follows a local $ref; returns the object and its JSON pointer.
function resolved(object, pointer) {
  while (object && object.$ref) {
    pointer = object.$ref.slice(1);
    object = pointer
      .split("/")
      .slice(1)
      .reduce((at, key) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
  }
  return { object, pointer };
}

// The document's path for a request path: a literal segment wins over a {placeholder}, as the
// OpenAPI spec says and as the router does.
function documentPath(requestPath) {
  const segments = requestPath.split("/").slice(1).map(decodeURIComponent);
  let best = null;
  for (const path of Object.keys(doc.paths ?? {})) {
    const pattern = path.split("/").slice(1);
    if (pattern.length !== segments.length) continue;
    const params = {};
    let literals = 0;
    const fits = pattern.every((p, i) => {
      if (p.startsWith("{") && p.endsWith("}")) {
        params[p.slice(1, -1)] = segments[i];
        return true;
      }
      literals += 1;
      return p === segments[i];
    });
    if (fits && (!best || literals > best.literals)) best = { path, params, literals };
  }
  return best;
}

function validateValue(pointer, value, what) {
  const validate = validatorAt(pointer);
  if (!validate(value))
    problem(`${what}: ${ajv.errorsText(validate.errors, { dataVar: "body" })}`);
}

const exercised = new Set();
let exchangeCount = 0;
if (args.exchanges) {
  const lines = readFileSync(args.exchanges, "utf8").split("\n").filter(Boolean);
  for (const line of lines) {
    const x = JSON.parse(line);
    exchangeCount += 1;
    const url = new URL(x.target, "http://node");
    const what = `${x.method} ${x.target} -> ${x.status}`;
    const found = documentPath(url.pathname);
    if (!found) {
      problem(`${what}: no path of the document matches`);
      continue;
    }
    const itemPointer = `/paths/${escape(found.path)}`;
    const operation = doc.paths[found.path][x.method.toLowerCase()];
    // The router's answer to a method the path does not take.
    if (!operation && x.status === 405) {
      validateValue("/components/responses/MethodNotAllowed/content/application~1json/schema",
                    JSON.parse(x.body), `${what}: answer`);
      continue;
    }
    if (!operation) {
      problem(`${what}: ${found.path} has no ${x.method} in the document`);
      continue;
    }
    exercised.add(`${x.method} ${found.path}`);
    const success = x.status >= 200 && x.status < 300;
    const opPointer = `${itemPointer}/${x.method.toLowerCase()}`;

    // A successful request was one the document allows: its path parameters and JSON body.
    if (success) {
      const parameters = [
        ...(doc.paths[found.path].parameters ?? []).map((p, i) => ({ p, at: `${itemPointer}/parameters/${i}` })),
        ...(operation.parameters ?? []).map((p, i) => ({ p, at: `${opPointer}/parameters/${i}` })),
      ];
      for (const { p, at } of parameters) {
        const { object: param, pointer } = resolved(p, at);
        if (param.in === "path") validateValue(`${pointer}/schema`, found.params[param.name], `${what}: path parameter ${param.name}`);
        if (param.in === "query" && param.required && !url.searchParams.has(param.name))
          problem(`${what}: query parameter ${param.name} is required but the request had none`);
      }
      if (x.requestBody && (x.requestContentType ?? "").startsWith("application/json")) {
        const { object: body, pointer } = resolved(operation.requestBody, `${opPointer}/requestBody`);
        if (!body?.content?.["application/json"]) problem(`${what}: the document takes no JSON body here`);
        else validateValue(`${pointer}/content/application~1json/schema`, JSON.parse(x.requestBody), `${what}: request body`);
      }
    }

    // The answer: a status the operation lists, of a media type it lists, validating.
    const listed = operation.responses?.[String(x.status)] ?? operation.responses?.default;
    if (!listed) {
      problem(`${what}: status ${x.status} is not among the operation's responses (${Object.keys(operation.responses ?? {}).join(", ")})`);
      continue;
    }
    const key = operation.responses[String(x.status)] ? String(x.status) : "default";
    const { object: response, pointer } = resolved(listed, `${opPointer}/responses/${key}`);
    const mediaType = (x.contentType ?? "").split(";")[0].trim();
    if (!response.content) {
      if (x.body) problem(`${what}: the document says no body, the answer had ${x.body.length} bytes`);
      continue;
    }
    if (!response.content[mediaType]) {
      problem(`${what}: Content-Type "${mediaType}" is not one of ${Object.keys(response.content).join(", ")}`);
      continue;
    }
    for (const [name, header] of Object.entries(response.headers ?? {}))
      if (name.toLowerCase() === "retry-after" && x.headers?.["retry-after"] !== undefined &&
          !/^[0-9]+$/.test(x.headers["retry-after"]))
        problem(`${what}: Retry-After is not whole seconds: ${x.headers["retry-after"]}`);
    const schemaPointer = `${pointer}/content/${escape(mediaType)}/schema`;
    let body = x.body;
    if (mediaType === "application/json" || mediaType.endsWith("+json")) {
      try {
        body = JSON.parse(x.body);
      } catch {
        problem(`${what}: the body is not JSON: ${x.body.slice(0, 200)}`);
        continue;
      }
    }
    validateValue(schemaPointer, body, `${what}: answer`);
  }
  if (exchangeCount === 0) problem(`${args.exchanges} holds no exchange`);
  // Every operation of the document was called at least once.
  for (const route of documented)
    if (!exercised.has(route)) problem(`${route} is in the document but no exchange called it`);
}

// 4. The WebSocket document names messages the proto defines.
if (args.asyncapi && args.proto) {
  const asyncapi = YAML.parse(readFileSync(args.asyncapi, "utf8"));
  const proto = readFileSync(args.proto, "utf8");
  const messages = new Set([...proto.matchAll(/^\s*message\s+(\w+)\s*\{/gm)].map((m) => m[1]));
  const named = [...JSON.stringify(asyncapi).matchAll(/puente\.v1\.(\w+)/g)].map((m) => m[1]);
  if (named.length === 0) problem(`${args.asyncapi} names no proto message`);
  for (const name of named)
    if (!messages.has(name)) problem(`${args.asyncapi} names puente.v1.${name}, which the proto does not define`);
}

// 5. An enum schema named for a proto enum lists exactly its values, in the proto's order (a
// value added to the proto and not here would fail only the answers that happen to carry it).
if (args.proto) {
  const proto = readFileSync(args.proto, "utf8");
  const protoEnums = new Map();
  for (const [, name, body] of proto.matchAll(/^enum\s+(\w+)\s*\{([^}]*)\}/gm))
    protoEnums.set(name, [...body.matchAll(/^\s*(\w+)\s*=\s*\d+\s*;/gm)].map((m) => m[1]));
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    if (!Array.isArray(schema.enum) || !protoEnums.has(name)) continue;
    const want = protoEnums.get(name).join(", ");
    if (schema.enum.join(", ") !== want)
      problem(`schema ${name} lists [${schema.enum.join(", ")}], the proto's enum [${want}]`);
  }
}

for (const text of problems) console.log(`FAIL ${text}`);
console.log(
  `openapi: ${documented.size} operations, ${exchangeCount} exchanges checked, ${problems.length} problems`,
);
process.exit(problems.length ? 1 : 0);
