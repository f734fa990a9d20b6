/**
 * The API-change policy (docs/versioning.md) on small documents: Redocly's real `diff` runs on each pair, and the
 * project's verdict for the judgement cases must come out as documented.
 */
import { describe, expect, it } from "vitest";
import { diffDocuments } from "../../scripts/release/api-policy.mjs";
import { repoRoot } from "../../scripts/release/workspace.mjs";

type Doc = Record<string, any>;

/** A small vendor document: one read with a typed response, one create with a typed request body. */
function vendorDoc(): Doc {
  return {
    openapi: "3.1.0",
    info: { title: "Fixture API", version: "1.4" },
    servers: [{ url: "https://api.vendor.test/v1" }],
    paths: {
      "/things": {
        get: {
          operationId: "listThings",
          summary: "List things",
          description: "Lists the things.",
          parameters: [{ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50 } }],
          responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } },
        },
        post: {
          operationId: "createThing",
          summary: "Create a thing",
          "x-idempotent": false,
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewThing" } } } },
          responses: { "201": { description: "created", content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } },
        },
      },
      "/things/{id}": {
        delete: {
          operationId: "deleteThing",
          summary: "Delete a thing",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "204": { description: "gone" } },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: "object",
          required: ["id", "status"],
          properties: { id: { type: "string" }, status: { type: "string", enum: ["active", "inactive"] } },
        },
        NewThing: {
          type: "object",
          required: ["name"],
          properties: { name: { type: "string", maxLength: 20 }, kind: { type: "string", enum: ["a", "b"] } },
        },
      },
    },
  };
}

async function verdict(edit: (doc: Doc) => void) {
  const base = vendorDoc();
  const revision = structuredClone(base);
  edit(revision);
  return diffDocuments({ base, revision, label: "fixture", repoRoot });
}

describe.concurrent("api:diff policy", () => {
  it("judgement: a new value in a response enum is minor", async () => {
    const r = await verdict((d) => d.components.schemas.Thing.properties.status.enum.push("archived"));
    expect(r.impact).toBe("minor");
    const line = r.changes.find((c) => c.what.includes("archived"));
    expect(line).toMatchObject({ impact: "minor", field: "response 200 status" });
    expect(line?.reason).toContain("enum-values-added");
  });

  it("judgement: a response field that becomes optional is major", async () => {
    const r = await verdict((d) => (d.components.schemas.Thing.required = ["id"]));
    expect(r.impact).toBe("major");
    expect(r.changes[0]).toMatchObject({ impact: "major", operation: expect.stringMatching(/^(listThings|createThing) /) });
    expect(r.changes[0].reason).toMatch(/required-properties-removed: a response field became optional/);
  });

  it("judgement: relaxed request constraints are minor (Redocly alone says patch)", async () => {
    for (const edit of [
      (d: Doc) => (d.components.schemas.NewThing.properties.name.maxLength = 80),
      (d: Doc) => delete d.components.schemas.NewThing.properties.name.maxLength,
      (d: Doc) => (d.paths["/things"].get.parameters[0].schema.maximum = 100),
      (d: Doc) => d.components.schemas.NewThing.properties.kind.enum.push("c"),
    ]) {
      const r = await verdict(edit);
      expect(r.impact).toBe("minor");
      expect(r.changes).toHaveLength(1);
      expect(r.changes[0].reason).toMatch(/relaxed request constraint/);
    }
  });

  it("tightened request constraints stay major", async () => {
    const r = await verdict((d) => (d.components.schemas.NewThing.properties.name.minLength = 3));
    expect(r.impact).toBe("major");
    expect(r.changes[0]).toMatchObject({ field: "request body name", reason: "schema-constraint-changed" });
  });

  it("judgement: info.version alone is patch, and says which versions", async () => {
    const r = await verdict((d) => (d.info.version = "1.5"));
    expect(r.impact).toBe("patch");
    expect(r.changes).toEqual([
      expect.objectContaining({ operation: "info", what: "the vendor's API version: '1.4' → '1.5'", impact: "patch" }),
    ]);
    expect(r.infoVersion).toEqual({ base: "1.4", revision: "1.5" });
  });

  it("an optional response field added is minor; a description fix is patch", async () => {
    const minor = await verdict((d) => (d.components.schemas.Thing.properties.note = { type: "string" }));
    expect(minor.impact).toBe("minor");
    expect(minor.changes.map((c) => c.field)).toContain("response 200 note");
    const patch = await verdict((d) => (d.paths["/things"].get.description = "Lists every thing."));
    expect(patch.impact).toBe("patch");
    expect(patch.changes).toEqual([expect.objectContaining({ operation: "listThings (GET /things)", what: "description changed" })]);
  });

  it("a required request field added or an operation removed is major, one line each", async () => {
    const r = await verdict((d) => {
      d.components.schemas.NewThing.required.push("owner");
      d.components.schemas.NewThing.properties.owner = { type: "string" };
      delete d.paths["/things/{id}"];
    });
    expect(r.impact).toBe("major");
    const majors = r.changes.filter((c) => c.impact === "major");
    expect(majors.map((c) => c.reason).sort()).toEqual(["path-removed", "required-properties-added"]);
    expect(majors.find((c) => c.reason === "required-properties-added")?.operation).toBe("createThing (POST /things)");
  });

  it("extensions the generator reads are compared too (Redocly misses nested ones)", async () => {
    const r = await verdict((d) => {
      d["x-runtime-policy"] = { retry: { maxRetries: 3 } };
      d.paths["/things"].post["x-idempotent"] = true;
    });
    expect(r.impact).toBe("patch");
    expect(r.changes.map((c) => `${c.operation} ${c.field}`).sort()).toEqual(["(document) x-runtime-policy", "createThing (POST /things) x-idempotent"]);
    const paging = await verdict((d) => (d.paths["/things"].get["x-pagination"] = { style: "page", pageParam: "page", itemsField: "items" }));
    expect(paging.impact).toBe("minor");
  });
});
