/** cos(latitude), the factor a caller measuring many distances from one place computes once. */
export function cosLat(lat: number): number {
  return Math.cos((lat * Math.PI) / 180);
}

/**
 * Great-circle metres between two points whose cos(latitude) the caller already has (ranking
 * thousands of volunteers for one task reads each cosine once). No inner closures: under tsx a
 * named inner arrow is wrapped on every call, which once cost most of a ranking.
 */
export function metresBetween(
  aLat: number,
  aLng: number,
  cosA: number,
  bLat: number,
  bLng: number,
  cosB: number,
): number {
  const dLat = ((bLat - aLat) * Math.PI) / 180;
  const dLng = ((bLng - aLng) * Math.PI) / 180;
  const h = Math.sin(dLat / 2) ** 2 + cosA * cosB * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** Great-circle distance in metres; good to a few metres at neighbourhood scale. */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  return metresBetween(a.lat, a.lng, cosLat(a.lat), b.lat, b.lng, cosLat(b.lat));
}
