import { describe, expect, it } from "vitest";
import type { QueryParamSpec } from "../src/operation.js";
import { serializeQuery } from "../src/query.js";
import { createRuntime } from "../src/runtime.js";
import { json, makeApi, op, scriptedFetch } from "./helpers.js";

const q = (name: string, style: string, explode: boolean, jsonContent = false): QueryParamSpec => ({ name, style, explode, json: jsonContent });

describe("serializeQuery", () => {
  it("form + explode repeats the key (also the default for undeclared parameters)", () => {
    expect(serializeQuery({ id: [1, 2, "a b"] }, [q("id", "form", true)])).toBe("id=1&id=2&id=a%20b");
    expect(serializeQuery({ tag: ["x", "y"] }, [])).toBe("tag=x&tag=y");
  });

  it("form without explode is one comma list (values encoded, commas not)", () => {
    expect(serializeQuery({ fields: ["name", "e,mail", "ü"] }, [q("fields", "form", false)])).toBe("fields=name,e%2Cmail,%C3%BC");
  });

  it("space- and pipe-delimited arrays", () => {
    expect(serializeQuery({ a: [1, 2] }, [q("a", "spaceDelimited", false)])).toBe("a=1%202");
    expect(serializeQuery({ a: [1, 2] }, [q("a", "pipeDelimited", false)])).toBe("a=1|2");
  });

  it("a JSON content parameter is one URL-encoded JSON document", () => {
    const filter = [{ field: "email", op: "eq", value: "a+b@x.com" }];
    const out = serializeQuery({ filter }, [q("filter", "form", true, true)]);
    expect(out).toBe(`filter=${encodeURIComponent(JSON.stringify(filter))}`);
    expect(out).toBe("filter=%5B%7B%22field%22%3A%22email%22%2C%22op%22%3A%22eq%22%2C%22value%22%3A%22a%2Bb%40x.com%22%7D%5D");
    expect(JSON.parse(new URLSearchParams(out).get("filter")!)).toEqual(filter);
  });

  it("deepObject writes key[prop]=value", () => {
    expect(serializeQuery({ filter: { status: "active", "created at": "2024-01-01", skip: undefined } }, [q("filter", "deepObject", true)])).toBe(
      "filter[status]=active&filter[created%20at]=2024-01-01",
    );
  });

  it("objects as form: exploded into their own keys, or one k,v list", () => {
    expect(serializeQuery({ o: { a: 1, b: "x y" } }, [q("o", "form", true)])).toBe("a=1&b=x%20y");
    expect(serializeQuery({ o: { a: 1, b: 2 } }, [q("o", "form", false)])).toBe("o=a,1,b,2");
  });

  it("skips undefined, null and empty arrays; encodes names and scalars", () => {
    expect(serializeQuery({ a: undefined, b: null, c: [], "d e": "1&2", f: true }, [])).toBe("d%20e=1%262&f=true");
    expect(serializeQuery(undefined, [])).toBe("");
  });

  it("the runtime puts the serialised query on the wire", async () => {
    const list = op({
      operationId: "listThings",
      method: "get",
      path: "/things",
      queryParams: [q("ids", "form", false), q("where", "form", true, true), q("page", "deepObject", true)],
    });
    const f = scriptedFetch(json(200, []));
    const rt = createRuntime(makeApi({}, [list]), { fetch: f.fetch });
    await rt.call("listThings", { query: { ids: [1, 2], where: { a: [1] }, page: { size: 10 } } });
    expect(f.requests[0].url).toBe(
      `https://api.example.test/v1/things?ids=1,2&where=${encodeURIComponent('{"a":[1]}')}&page[size]=10`,
    );
  });
});
