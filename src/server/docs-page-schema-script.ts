// The schema half of the /api/docs renderer: a JSON Schema from an OpenAPI document in, escaped
// HTML out (its type on one line, then its fields, variants and limits). Like the rest of the
// renderer it is source text, plain JS with no backticks or `${`: see docs-page-script.ts for why.

/**
 * Statements that docs-page-script.ts places inside the one GoosedDocs function, so they and the
 * operation half share a scope: the helpers at the top (escaping, Markdown prose, $ref lookup) serve both.
 */
export const SCHEMA_RENDER_SOURCE = String.raw`
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
`;
