// What a front-end writes against the generated types (make clients): it must compile under
// tsc --strict with openapi-typescript's default options. Never run; only type-checked.
import createClient from "openapi-fetch";
import type { components, paths } from "../build/clients/kcn-party";

type Attainment = components["schemas"]["Attainment"];
type ProblemCode = components["schemas"]["ProblemCode"];

const api = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });

export async function logIn(username: string, password: string): Promise<string> {
  const { data, error } = await api.POST("/api/v1/auth/token", {
    body: { username, password },
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
  });
  if (error !== undefined) throw new Error(error.detail);
  return data.access_token;
}

export async function behindTargets(token: string): Promise<Attainment[]> {
  const { data, error } = await api.GET("/api/v1/attainment", {
    params: { query: { as_of: "2024-06-30", limit: 100 } },
    headers: { Authorization: `Bearer ${token}` },
  });
  if (error !== undefined) throw new Error(error.detail);
  // Percentages are numbers; every field of a response is present.
  return data.items.filter((a) => a.percent !== null && a.percent < 50 && a.status !== "achieved");
}

export async function largestEmployers(token: string): Promise<string[]> {
  const { data } = await api.GET("/api/v1/enterprises", {
    params: { query: { sort: "-workers_count", zone_id: [1, 2], limit: 10 } },
    headers: { Authorization: `Bearer ${token}` },
  });
  const next: string | null = data?.next_cursor ?? null;
  return (data?.items ?? []).map((e) => `${e.name} (${e.workers_count}) ${next ?? ""}`);
}

export async function createEnterprise(token: string): Promise<number | ProblemCode> {
  // Fields with a default (workers_count, status…) may be left out.
  const { data, error, response } = await api.POST("/api/v1/enterprises", {
    body: { tax_code: "0101234567", name: "Công ty TNHH A", zone_id: 1, ownership: "fdi" },
    headers: { Authorization: `Bearer ${token}` },
  });
  if (error !== undefined) {
    switch (error.code) {
      case "conflict":
      case "validation_error":
        return error.code;
      default:
        throw new Error(`${response.status} ${error.code}: ${error.detail}`);
    }
  }
  const etag: string | null = response.headers.get("ETag");
  return etag === null ? data.id : data.id;
}

export async function overviewWorkbook(token: string): Promise<Blob> {
  const { data, error } = await api.GET("/api/v1/reports/overview.xlsx", {
    params: { query: { as_of: "2024-06-30", lang: "vi" } },
    headers: { Authorization: `Bearer ${token}` },
    parseAs: "blob",
  });
  if (error !== undefined) throw new Error(error.detail);
  return data;
}
