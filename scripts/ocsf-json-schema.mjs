// Compiles one OCSF event class from a checkout of github.com/ocsf/ocsf-schema into a JSON Schema, so the tests can
// validate brsec's OCSF records with Ajv, offline. OCSF's own files are a metaschema (classes extend classes,
// `$include` pulls in profiles, types come from a dictionary), which no JSON Schema tool reads directly.
//
//   node scripts/ocsf-json-schema.mjs --ocsf DIR --class compliance_finding --profiles cloud > schema.json
//
// The rules compiled are the ones OCSF's validator applies to an event: required attributes, no attributes the class
// does not define, the attribute types, enum values of `_id` attributes, captions of their sibling names, object
// constraints (at_least_one, just_one), and profile attributes allowed only where `metadata.profiles` names the
// profile. Attribute regexes are left out (some are not JavaScript regexes). Each `--profiles` set gives one branch,
// chosen by what metadata.profiles lists; records listing another set fail.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    ocsf: { type: 'string' },
    class: { type: 'string' },
    profiles: { type: 'string', multiple: true, default: [''] },
  },
});
if (!values.ocsf || !values.class) throw new Error('usage: --ocsf DIR --class NAME [--profiles a,b]...');
const root = values.ocsf;
const readJson = (...parts) => JSON.parse(readFileSync(join(root, ...parts), 'utf8'));
const dictionary = readJson('dictionary.json');
const version = readJson('version.json').version;
const categories = readJson('categories.json').attributes;
const types = dictionary.types.attributes;

function findEvent(name) {
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const found = walk(join(dir, entry.name));
        if (found) return found;
      } else if (entry.name === `${name}.json`) return join(dir, entry.name);
    }
    return undefined;
  };
  const path = walk('events');
  if (!path) throw new Error(`no event class ${name}`);
  return readJson(path);
}

/** A class's or object's attributes with its parents' and includes' merged in; profile attributes marked. */
function attributesOf(definition, load) {
  const merged = definition.extends ? { ...attributesOf(load(definition.extends), load) } : {};
  const { $include = [], ...own } = definition.attributes ?? {};
  for (const path of $include) {
    const included = readJson(path);
    const profile = included.meta === 'profile' ? included.name : undefined;
    for (const [name, attribute] of Object.entries(included.attributes))
      merged[name] = { ...merged[name], ...attribute, ...(profile ? { profile } : {}) };
  }
  for (const [name, attribute] of Object.entries(own)) merged[name] = { ...merged[name], ...attribute };
  return merged;
}

const loadObject = (name) => readJson('objects', `${name}.json`);
const loadEventDefinition = (name) => findEvent(name);

function baseType(type) {
  let t = type;
  while (types[t]?.type) t = types[t].type;
  return t;
}

const PRIMITIVE = {
  string_t: { type: 'string' },
  integer_t: { type: 'integer' },
  long_t: { type: 'integer' },
  float_t: { type: 'number' },
  boolean_t: { type: 'boolean' },
  json_t: {},
};

function compile({ profiles }) {
  const defs = {};
  const key = profiles.join('+') || 'none';
  const refOf = (object) => `#/definitions/${key}.${object}`;

  function attributeSchema(name, attribute) {
    const entry = { ...dictionary.attributes[name], ...attribute };
    let schema;
    if (entry.type === 'object') schema = { type: 'object' };
    else if (entry.type.endsWith('_t')) schema = { ...PRIMITIVE[baseType(entry.type)] };
    else {
      objectSchema(entry.type);
      schema = { $ref: refOf(entry.type) };
    }
    if (entry.enum && schema.type === 'integer') schema.enum = Object.keys(entry.enum).map(Number);
    return { schema: entry.is_array ? { type: 'array', items: schema } : schema, entry };
  }

  function membersSchema(attributes, constraints) {
    const properties = {};
    const required = [];
    const siblingRules = [];
    for (const [name, attribute] of Object.entries(attributes)) {
      if (attribute.profile && !profiles.includes(attribute.profile)) continue;
      const { schema, entry } = attributeSchema(name, attribute);
      properties[name] = schema;
      if (attribute.requirement === 'required') required.push(name);
      if (entry.sibling && entry.enum) {
        for (const [value, { caption }] of Object.entries(entry.enum)) {
          if (value === '99') continue;
          siblingRules.push({
            if: { properties: { [name]: { const: Number(value) } }, required: [name, entry.sibling] },
            then: { properties: { [entry.sibling]: { const: caption } } },
          });
        }
      }
    }
    const schema = { type: 'object', properties, required, additionalProperties: false };
    const all = [...siblingRules];
    if (constraints?.at_least_one) all.push({ anyOf: constraints.at_least_one.map((n) => ({ required: [n] })) });
    if (constraints?.just_one) all.push({ oneOf: constraints.just_one.map((n) => ({ required: [n] })) });
    if (all.length) schema.allOf = all;
    return schema;
  }

  function objectSchema(name) {
    const id = `${key}.${name}`;
    if (defs[id]) return;
    defs[id] = {};
    const definition = loadObject(name);
    defs[id] = membersSchema(attributesOf(definition, loadObject), definition.constraints);
  }

  const event = loadEventDefinition(values.class);
  const attributes = attributesOf(event, loadEventDefinition);
  const schema = membersSchema(attributes);
  const category = categories[eventCategory(event)];
  const classUid = category.uid * 1000 + event.uid;
  schema.properties.class_uid = { const: classUid };
  schema.properties.category_uid = { const: category.uid };
  const activities = Object.keys({ ...dictionary.attributes.activity_id?.enum, ...attributes.activity_id?.enum }).map(Number);
  schema.properties.type_uid = { enum: activities.map((a) => classUid * 100 + a) };
  return { key, schema, defs };
}

function eventCategory(event) {
  let parent = event;
  while (!parent.category && parent.extends) parent = findEvent(parent.extends);
  return parent.category;
}

/**
 * The observable type ids OCSF gives types, dictionary attributes, objects and object attributes (the server compiles
 * them into observable.type_id); captions are checked for the type-based ones, whose names are the types' captions.
 */
function observableTypes() {
  const ids = new Map();
  for (const type of Object.values(types)) if (type.observable) ids.set(type.observable, type.caption);
  for (const attribute of Object.values(dictionary.attributes)) if (attribute.observable) ids.set(attribute.observable, undefined);
  for (const file of readdirSync(join(root, 'objects'))) {
    const object = readJson('objects', file);
    if (object.observable) ids.set(object.observable, undefined);
    for (const attribute of Object.values(object.attributes ?? {})) if (attribute.observable) ids.set(attribute.observable, undefined);
  }
  return ids;
}

function addObservableTypes(defs) {
  const ids = observableTypes();
  for (const [id, def] of Object.entries(defs)) {
    if (!id.endsWith('.observable')) continue;
    def.properties.type_id.enum = [...new Set([...def.properties.type_id.enum, ...ids.keys()])].sort((a, b) => a - b);
    for (const [value, caption] of ids) {
      if (caption === undefined) continue;
      def.allOf.push({
        if: { properties: { type_id: { const: value } }, required: ['type_id', 'type'] },
        then: { properties: { type: { const: caption } } },
      });
    }
  }
}

const branches = values.profiles.map((set) => compile({ profiles: set.split(',').filter(Boolean).sort() }));
const $defs = Object.assign({}, ...branches.map((b) => b.defs));
addObservableTypes($defs);
const out = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $comment: `Compiled by scripts/ocsf-json-schema.mjs from OCSF ${version} (github.com/ocsf/ocsf-schema, Apache-2.0), class ${values.class}, profile sets: ${branches.map((b) => b.key).join(', ')}.`,
  oneOf: branches.map((b) => {
    const listed = b.key === 'none' ? [] : b.key.split('+');
    return {
      allOf: [
        {
          ...(listed.length ? { properties: { metadata: { required: ['profiles'] } } } : {}),
        },
        {
          properties: {
            metadata: {
              properties: {
                profiles: listed.length
                  ? { type: 'array', items: { enum: listed }, minItems: listed.length, uniqueItems: true }
                  : { type: 'array', maxItems: 0 },
              },
            },
          },
        },
        b.schema,
      ],
    };
  }),
  definitions: $defs,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
