// Validates front matter, as JSON, against casebook's case schema with Ajv (JSON Schema
// draft 2020-12, formats checked), for tests/schema.rs.
//
// Usage: node tests/browser/validate_schema.mjs SCHEMA.json INSTANCES.json
// INSTANCES.json is [{"name": …, "data": …}, …]; prints [{"name", "valid", "errors"}].
import { readFile } from "node:fs/promises";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [schemaFile, instancesFile] = process.argv.slice(2);
const schema = JSON.parse(await readFile(schemaFile, "utf8"));
const instances = JSON.parse(await readFile(instancesFile, "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const results = instances.map(({ name, data }) => {
  const valid = validate(data);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
  return { name, valid, errors: valid ? [] : errors };
});
console.log(JSON.stringify(results));
