// The renderer of GET /api/docs, kept as source text rather than as functions serialised with
// toString(): tsx and vitest transpile with helpers (`__name`) and coverage counters that do not exist
// in the browser, so only text we wrote ourselves is safe to inline. Tests evaluate this same text, so
// what is tested is what ships. Plain JS with no backticks or `${`, because it lives in String.raw.
// The DOM side (key, fetch, search) is in docs-page.ts.

/** Pure functions: spec in, escaped HTML out. No DOM, so Node can run them in tests. */
export const DOCS_RENDER_SOURCE = String.raw`
var GoosedDocs = (function () {
  'use strict';
  var METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  // Refs are cut by 'seen'; this only bounds a pathological hand-written inline schema.
  var MAX_DEPTH = 12;
  var ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

  function esc(value) {
    return String(value == null ? '' : value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  function json(value) { return '<code>' + esc(JSON.stringify(value)) + '</code>'; }
  function slug(prefix, text) { return prefix + '-' + String(text).replace(/[^A-Za-z0-9_-]+/g, '-'); }
  function isObj(value) { return !!value && typeof value === 'object' && !Array.isArray(value); }
  // Descriptions are Markdown; paragraphs and code spans carry most of their meaning, and both are
  // applied after escaping, so no spec text can turn into markup.
  function prose(text, cls) {
    if (!text) return '';
    return String(text).split(/\n\s*\n/).map(function (part) {
      return '<p class="' + (cls || 'desc') + '">' + esc(part.trim()).replace(/\x60([^\x60]+)\x60/g, '<code>$1</code>') + '</p>';
    }).join('');
  }

  function lookup(ref, components) {
    var prefix = '#/components/';
    if (typeof ref !== 'string' || ref.indexOf(prefix) !== 0) return undefined;
    var node = components;
    var parts = ref.slice(prefix.length).split('/');
    for (var i = 0; i < parts.length; i++) {
      var key = parts[i].replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObj(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
      node = node[key];
    }
    return node;
  }
  // Parameters, bodies, responses and headers may themselves be refs; one hop covers real specs.
  function deref(value, components) { return isObj(value) && value.$ref ? lookup(value.$ref, components) || {} : value || {}; }
  function refName(ref) { return String(ref).slice(String(ref).lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~'); }
  function schemaLink(ref) {
    if (String(ref).indexOf('#/components/schemas/') !== 0) return '<code>' + esc(ref) + '</code>';
    return '<a class="ref" href="#' + esc(slug('schema', refName(ref))) + '">' + esc(refName(ref)) + '</a>';
  }

  function isNull(s) { return isObj(s) && (s.type === 'null' || s.const === null || (Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null)); }
  // Generators write "this ref, with a description (and maybe null)" as allOf [ref, {description, type}].
  var NOTES = ['description', 'title', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', 'nullable', 'type'];
  function isNote(s) { return isObj(s) && Object.keys(s).every(function (k) { return NOTES.indexOf(k) >= 0; }); }
  // OpenAPI 3.0 says nullable:true; 3.1 says type:[..., 'null'], a null enum member or a {type:'null'}
  // variant. All become one flag, and the schema returned no longer mentions null (nor such an allOf).
  function unwrapNull(raw) {
    var s = isObj(raw) ? raw : {};
    var parts = Array.isArray(s.allOf) ? s.allOf.filter(function (p) { return !isNote(p); }) : [];
    if (parts.length === 1 && s.allOf.length > 1) {
      var own = Object.assign.apply(null, [{}].concat(s.allOf.filter(isNote), [s]));
      delete own.allOf;
      s = Object.assign({}, parts[0], own);
    }
    var nullable = s.nullable === true;
    if (Array.isArray(s.type) && s.type.indexOf('null') >= 0 && s.type.length > 1) {
      var types = s.type.filter(function (t) { return t !== 'null'; });
      s = Object.assign({}, s, { type: types.length === 1 ? types[0] : types });
      nullable = true;
    }
    if (Array.isArray(s.enum) && s.enum.length > 1 && s.enum.indexOf(null) >= 0) {
      s = Object.assign({}, s, { enum: s.enum.filter(function (v) { return v !== null; }) });
      nullable = true;
    }
    ['oneOf', 'anyOf'].forEach(function (key) {
      if (!Array.isArray(s[key]) || !s[key].some(isNull)) return;
      var rest = s[key].filter(function (v) { return !isNull(v); });
      var outer = Object.assign({}, s);
      delete outer[key];
      nullable = true;
      // The outer keys (usually the field's description) describe this use, so they win.
      if (rest.length === 1) s = Object.assign({}, rest[0], outer);
      else { outer[key] = rest; s = outer; }
    });
    return { schema: s, nullable: nullable };
  }

  function typeLabel(raw) {
    var s = unwrapNull(raw).schema;
    if (s.$ref) return schemaLink(s.$ref);
    if ('const' in s) return json(s.const);
    if (Array.isArray(s.enum) && s.enum.length === 1) return json(s.enum[0]);
    var union = s.oneOf || s.anyOf;
    if (Array.isArray(union)) return union.length > 4 ? 'one of ' + union.length : union.map(typeLabel).join(' | ');
    if (Array.isArray(s.allOf)) return s.allOf.map(typeLabel).join(' &amp; ');
    var type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
    if (type === 'array' || (!type && s.items)) {
      var item = s.items ? typeLabel(s.items) : 'any';
      return (item.indexOf(' | ') >= 0 ? '(' + item + ')' : item) + '[]';
    }
    var extra = s.additionalProperties;
    if ((!type || type === 'object') && !s.properties && extra !== undefined && extra !== false) {
      return 'record&lt;string, ' + (isObj(extra) ? typeLabel(extra) : 'any') + '&gt;';
    }
    if (!type) return s.properties ? 'object' : 'any';
    return esc(type) + (s.format ? ' <span class="fmt">(' + esc(s.format) + ')</span>' : '');
  }

  function badges(s, nullable) {
    var out = nullable ? ' <span class="badge">nullable</span>' : '';
    if (s.deprecated) out += ' <span class="badge warn">deprecated</span>';
    if (s.readOnly) out += ' <span class="badge">read-only</span>';
    if (s.writeOnly) out += ' <span class="badge">write-only</span>';
    return out;
  }
  var LIMITS = [['minimum', 'min'], ['maximum', 'max'], ['exclusiveMinimum', 'more than'], ['exclusiveMaximum', 'less than'],
    ['minLength', 'min length'], ['maxLength', 'max length'], ['minItems', 'min items'], ['maxItems', 'max items'], ['pattern', 'pattern']];
  function facts(s) {
    var out = [];
    if (Array.isArray(s.enum) && s.enum.length > 1) out.push('one of ' + s.enum.map(json).join(', '));
    if (s.default !== undefined) out.push('default ' + json(s.default));
    LIMITS.forEach(function (pair) { if (s[pair[0]] !== undefined && typeof s[pair[0]] !== 'boolean') out.push(pair[1] + ' ' + json(s[pair[0]])); });
    var example = s.example !== undefined ? s.example : Array.isArray(s.examples) ? s.examples[0] : undefined;
    if (example !== undefined) out.push('example ' + json(example));
    return out.length ? '<p class="facts">' + out.join(' &middot; ') + '</p>' : '';
  }

  // Whether a schema has more to show than its one-line type label.
  function hasBody(raw, ctx) {
    var s = unwrapNull(raw).schema;
    if (s.$ref) return ctx.budget > 0 || lookup(s.$ref, ctx.components) === undefined;
    if (isObj(s.properties) || Array.isArray(s.allOf)) return true;
    var union = s.oneOf || s.anyOf;
    if (Array.isArray(union)) return !!s.discriminator || union.length > 4 || union.some(function (v) { return hasBody(v, ctx); });
    if (s.items) return hasBody(s.items, ctx);
    return isObj(s.additionalProperties) && hasBody(s.additionalProperties, ctx);
  }
  function detail(raw, ctx) {
    var s = unwrapNull(raw).schema;
    return prose(s.description) + facts(s) + nested(s, ctx);
  }
  function discriminatorValue(union, variant, name, components) {
    if (!isObj(variant)) return undefined;
    var mapping = isObj(union.discriminator.mapping) ? union.discriminator.mapping : {};
    for (var key in mapping) if (variant.$ref && mapping[key] === variant.$ref) return key;
    var target = variant.$ref ? lookup(variant.$ref, components) : variant;
    var prop = isObj(target) && isObj(target.properties) ? unwrapNull(target.properties[name]).schema : {};
    if ('const' in prop) return prop.const;
    return Array.isArray(prop.enum) && prop.enum.length === 1 ? prop.enum[0] : undefined;
  }
  function nested(s, ctx) {
    if (ctx.depth > MAX_DEPTH) return '<p class="note">Nested too deeply to show here.</p>';
    var deeper = Object.assign({}, ctx, { depth: ctx.depth + 1, top: false });
    if (s.$ref) {
      var target = lookup(s.$ref, ctx.components);
      if (target === undefined) return '<p class="note">Unresolved reference ' + json(s.$ref) + '.</p>';
      if (ctx.budget <= 0) return '';
      if (ctx.seen.indexOf(s.$ref) >= 0) return '<p class="note">Recursive: the same ' + schemaLink(s.$ref) + ' as above.</p>';
      var inner = Object.assign({}, deeper, { budget: ctx.budget - 1, seen: ctx.seen.concat(s.$ref), top: ctx.top });
      var u = unwrapNull(target);
      var head = isObj(u.schema.properties) || u.schema.oneOf || u.schema.anyOf || u.schema.allOf ? '' : '<p class="sig">' + typeLabel(target) + badges(u.schema, u.nullable) + '</p>';
      var content = head + detail(target, inner);
      // The schema an operation names is shown open; the ones inside it start folded to keep pages short.
      return ctx.top ? content : '<details><summary>Show ' + esc(refName(s.$ref)) + '</summary>' + content + '</details>';
    }
    var union = s.oneOf || s.anyOf;
    if (Array.isArray(union) && hasBody(s, ctx)) {
      var by = isObj(s.discriminator) ? s.discriminator.propertyName : undefined;
      var html = '<p class="note">' + (s.oneOf ? 'Exactly one of' : 'Any of') + (by ? ', told apart by ' + json(by) : '') + ':</p><ul class="variants">';
      union.forEach(function (variant) {
        var tag = by ? discriminatorValue(s, variant, by, ctx.components) : undefined;
        html += '<li>' + (tag !== undefined ? '<code>' + esc(by) + ': ' + esc(JSON.stringify(tag)) + '</code> ' : '') +
          '<span class="sig">' + typeLabel(variant) + '</span>' + detail(variant, deeper) + '</li>';
      });
      return html + '</ul>';
    }
    if (Array.isArray(s.allOf)) {
      return '<p class="note">All of:</p><ul class="variants">' + s.allOf.map(function (part) {
        return '<li><span class="sig">' + typeLabel(part) + '</span>' + detail(part, deeper) + '</li>';
      }).join('') + '</ul>';
    }
    if (isObj(s.properties)) {
      var extra = isObj(s.additionalProperties) ? '<p class="note">Other keys: ' + typeLabel(s.additionalProperties) + '</p>' : '';
      return table(s, deeper) + extra;
    }
    // An array's element, or a record's value, is shown as if it were the field itself.
    if (s.items && hasBody(s.items, ctx)) return '<p class="note">Each item:</p>' + detail(s.items, Object.assign({}, deeper, { top: ctx.top }));
    if (isObj(s.additionalProperties) && hasBody(s.additionalProperties, ctx)) return '<p class="note">Each value:</p>' + detail(s.additionalProperties, deeper);
    return '';
  }
  function table(s, ctx) {
    var required = Array.isArray(s.required) ? s.required : [];
    var rows = Object.keys(s.properties).map(function (name) {
      var prop = s.properties[name];
      var u = unwrapNull(prop);
      return '<tr><th scope="row"><code>' + esc(name) + '</code>' + (required.indexOf(name) >= 0 ? ' <span class="badge req">required</span>' : '') +
        '</th><td class="type">' + typeLabel(prop) + badges(u.schema, u.nullable) + '</td><td>' + detail(prop, ctx) + '</td></tr>';
    }).join('');
    return '<table class="props"><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>' + rows + '</tbody></table>';
  }

  function renderSchema(schema, components, options) {
    var opts = options || {};
    var ctx = { components: components || {}, budget: opts.expand === undefined ? 1 : opts.expand, seen: opts.seen || [], depth: 0, top: true };
    var u = unwrapNull(schema);
    return '<div class="schema"><p class="sig">' + typeLabel(schema) + badges(u.schema, u.nullable) + '</p>' + detail(schema, ctx) + '</div>';
  }

  function fallbackGroup(path) {
    var parts = String(path).split('/').filter(Boolean);
    var part = parts[parts[0] === 'api' ? 1 : 0];
    return part && part.charAt(0) !== '{' ? part : parts[0] || 'default';
  }
  // Each operation appears once, under its first tag, so its anchor stays unique.
  function groupOperations(spec) {
    var components = spec.components || {};
    var groups = new Map();
    (Array.isArray(spec.tags) ? spec.tags : []).forEach(function (tag) {
      if (isObj(tag) && tag.name) groups.set(tag.name, { name: tag.name, description: tag.description || '', operations: [] });
    });
    var paths = isObj(spec.paths) ? spec.paths : {};
    Object.keys(paths).forEach(function (path) {
      var item = isObj(paths[path]) ? paths[path] : {};
      METHODS.forEach(function (method) {
        var op = item[method];
        if (!isObj(op)) return;
        var name = (Array.isArray(op.tags) && op.tags[0]) || fallbackGroup(path);
        if (!groups.has(name)) groups.set(name, { name: name, description: '', operations: [] });
        // Operation parameters override path-level ones with the same name and location.
        var params = new Map();
        [].concat(item.parameters || [], op.parameters || []).forEach(function (raw) {
          var p = deref(raw, components);
          params.set(p.in + ' ' + p.name, p);
        });
        groups.get(name).operations.push({ method: method, path: path, operation: op, parameters: Array.from(params.values()) });
      });
    });
    return Array.from(groups.values()).filter(function (group) { return group.operations.length > 0; });
  }
  function opId(entry) { return slug('op-' + entry.method, entry.path); }
  function methodBadge(method) { return '<span class="method m-' + esc(method) + '">' + esc(method) + '</span>'; }

  function renderParameters(params, components) {
    if (!params.length) return '';
    var rows = params.map(function (p) {
      var schema = p.schema || (isObj(p.content) ? (p.content[Object.keys(p.content)[0]] || {}).schema : undefined) || {};
      var u = unwrapNull(schema);
      return '<tr><th scope="row"><code>' + esc(p.name) + '</code>' + (p.required ? ' <span class="badge req">required</span>' : '') +
        '</th><td>' + esc(p.in) + '</td><td class="type">' + typeLabel(schema) + badges(Object.assign({}, u.schema, { deprecated: p.deprecated }), u.nullable) +
        '</td><td>' + prose(p.description || u.schema.description) + facts(Object.assign({}, u.schema, p.example !== undefined ? { example: p.example } : {})) +
        nested(u.schema, { components: components, budget: 1, seen: [], depth: 1, top: false }) + '</td></tr>';
    }).join('');
    return '<h4>Parameters</h4><table><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>' + rows + '</tbody></table>';
  }
  function renderContent(content, components) {
    if (!isObj(content)) return '';
    return Object.keys(content).map(function (media) {
      var m = isObj(content[media]) ? content[media] : {};
      var stream = media.split(';')[0].trim() === 'text/event-stream';
      // 3.2 describes one SSE event with itemSchema; 3.1 documents put the event schema in schema.
      var schema = stream && m.itemSchema ? m.itemSchema : m.schema;
      return '<p class="media"><code>' + esc(media) + '</code>' + (stream ? ' a stream of Server-Sent Events; the <code>data</code> of each event is:' : '') + '</p>' +
        (schema ? renderSchema(schema, components, { expand: 2 }) : '');
    }).join('');
  }
  function renderOperation(entry, components) {
    var op = entry.operation || {};
    var body = op.requestBody ? deref(op.requestBody, components) : undefined;
    var search = [entry.method, entry.path, op.summary, op.description, op.operationId].concat(op.tags || [], entry.parameters.map(function (p) { return p.name; })).join(' ');
    var html = '<section class="op" id="' + esc(opId(entry)) + '" data-search="' + esc(search) + '">' +
      '<h3>' + methodBadge(entry.method) + ' <code class="path">' + esc(entry.path) + '</code>' + (op.summary ? ' <span class="summary">' + esc(op.summary) + '</span>' : '') +
      (op.deprecated ? ' <span class="badge warn">deprecated</span>' : '') + '</h3>' + prose(op.description) + renderParameters(entry.parameters, components);
    if (body) html += '<h4>Request body' + (body.required ? ' <span class="badge req">required</span>' : '') + '</h4>' + prose(body.description) + renderContent(body.content, components);
    var responses = isObj(op.responses) ? op.responses : {};
    html += Object.keys(responses).length ? '<h4>Responses</h4>' : '';
    Object.keys(responses).forEach(function (status) {
      var r = deref(responses[status], components);
      var headers = isObj(r.headers) ? Object.keys(r.headers) : [];
      html += '<h5><span class="status ' + (/^[23]/.test(status) ? 's-ok' : /^[45]/.test(status) ? 's-err' : '') + '">' + esc(status) + '</span> ' + esc(r.description || '') + '</h5>';
      if (headers.length) {
        html += '<table class="headers"><thead><tr><th scope="col">Header</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>' + headers.map(function (name) {
          var h = deref(r.headers[name], components);
          return '<tr><th scope="row"><code>' + esc(name) + '</code></th><td class="type">' + typeLabel(h.schema) + '</td><td>' + prose(h.description) + '</td></tr>';
        }).join('') + '</tbody></table>';
      }
      html += renderContent(r.content, components);
    });
    return html + '</section>';
  }

  function renderDocument(spec) {
    var doc = isObj(spec) ? spec : {};
    var info = isObj(doc.info) ? doc.info : {};
    var components = isObj(doc.components) ? doc.components : {};
    var schemas = isObj(components.schemas) ? components.schemas : {};
    var groups = groupOperations(doc);
    var names = Object.keys(schemas).sort();
    var nav = groups.map(function (group) {
      return '<li data-for="' + esc(slug('tag', group.name)) + '"><a href="#' + esc(slug('tag', group.name)) + '">' + esc(group.name) + '</a><ul>' +
        group.operations.map(function (entry) {
          return '<li data-for="' + esc(opId(entry)) + '"><a href="#' + esc(opId(entry)) + '">' + methodBadge(entry.method) + ' ' + esc(entry.path) + '</a></li>';
        }).join('') + '</ul></li>';
    }).join('') + (names.length ? '<li data-for="schemas"><a href="#schemas">Schemas</a><ul>' + names.map(function (name) {
      return '<li data-for="' + esc(slug('schema', name)) + '"><a href="#' + esc(slug('schema', name)) + '">' + esc(name) + '</a></li>';
    }).join('') + '</ul></li>' : '');
    var main = groups.map(function (group) {
      return '<section class="group" id="' + esc(slug('tag', group.name)) + '" data-group><h2>' + esc(group.name) + '</h2>' + prose(group.description) +
        group.operations.map(function (entry) { return renderOperation(entry, components); }).join('') + '</section>';
    }).join('');
    if (names.length) {
      main += '<section class="group" id="schemas" data-group><h2>Schemas</h2>' + names.map(function (name) {
        var s = isObj(schemas[name]) ? schemas[name] : {};
        var search = [name, s.description].concat(isObj(s.properties) ? Object.keys(s.properties) : []).join(' ');
        // Each component is shown once here, its refs as links: the Schemas list is where they lead.
        return '<section class="component" id="' + esc(slug('schema', name)) + '" data-search="' + esc(search) + '"><h3>' + esc(name) + '</h3>' +
          renderSchema(s, components, { expand: 0 }) + '</section>';
      }).join('') + '</section>';
    }
    return '<div class="layout"><nav class="toc" aria-label="Contents"><ul>' + nav + '</ul></nav><div class="content">' +
      '<section class="intro" aria-labelledby="about"><h2 id="about">' + esc(info.title || 'API') + (info.version ? ' <span class="badge">' + esc(info.version) + '</span>' : '') +
      '</h2>' + prose(info.description) + (doc.openapi ? '<p class="facts">OpenAPI ' + esc(doc.openapi) + '</p>' : '') + '</section>' +
      (main || '<p>This description has no operations.</p>') + '</div></div>';
  }

  function matchesQuery(text, query) {
    var haystack = String(text || '').toLowerCase();
    return String(query || '').toLowerCase().split(/\s+/).filter(Boolean).every(function (term) { return haystack.indexOf(term) >= 0; });
  }

  return { escapeHtml: esc, renderSchema: renderSchema, groupOperations: groupOperations, renderOperation: renderOperation, renderDocument: renderDocument, matchesQuery: matchesQuery };
})();
`;

export type JsonObject = Record<string, unknown>;
/** The `components` object of an OpenAPI document; refs resolve against `#/components/...`. */
export type OpenApiComponents = { schemas?: Record<string, JsonObject> } & JsonObject;
/** expand: levels of `$ref` shown inline (default 1), deeper ones are links; seen: refs the caller is already showing. */
export type RenderSchemaOptions = { expand?: number; seen?: string[] };
export type OperationEntry = { method: string; path: string; operation: JsonObject; parameters: JsonObject[] };
export type OperationGroup = { name: string; description: string; operations: OperationEntry[] };
export interface DocsRenderer {
  escapeHtml(value: unknown): string;
  renderSchema(schema: unknown, components?: OpenApiComponents, options?: RenderSchemaOptions): string;
  groupOperations(spec: JsonObject): OperationGroup[];
  renderOperation(entry: OperationEntry, components?: OpenApiComponents): string;
  renderDocument(spec: unknown): string;
  matchesQuery(text: string, query: string): boolean;
}

let renderer: DocsRenderer | undefined;

/** The browser's renderer, evaluated in Node from the very source the page inlines. */
export function loadDocsRenderer(): DocsRenderer {
  renderer ??= new Function(`${DOCS_RENDER_SOURCE}\nreturn GoosedDocs;`)() as DocsRenderer;
  return renderer;
}

export function renderSchema(schema: unknown, components?: OpenApiComponents, options?: RenderSchemaOptions): string {
  return loadDocsRenderer().renderSchema(schema, components, options);
}

export function renderApiDocument(spec: unknown): string {
  return loadDocsRenderer().renderDocument(spec);
}
