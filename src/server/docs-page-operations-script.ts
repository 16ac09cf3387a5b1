// The operation half of the /api/docs renderer: the paths of an OpenAPI document grouped by tag,
// each operation with its parameters, request body and responses, the whole page with its table of
// contents, and the search match. Plain JS source text with no backticks or `${`, like the schema
// half (docs-page-schema-script.ts), whose helpers and renderSchema it calls.

/** Statements that docs-page-script.ts places inside the GoosedDocs function, after the schema half. */
export const OPERATION_RENDER_SOURCE = String.raw`
  var METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

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
`;
