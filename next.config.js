// @ts-check

// Static security headers on every response. Pages get their Content-Security-Policy (with a
// per-request script nonce) and HSTS from proxy.ts at run time (lib/http/security-headers.ts); the
// routes the proxy does not see (machine endpoints, uploads) serve no HTML and get this strict one.
// No site may frame Veil (clickjacking of consent buttons).
const apiCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and heavy server packages stay external to the server bundle.
  serverExternalPackages: ["onnxruntime-node", "sharp", "bullmq", "ioredis", "pg", "@prisma/adapter-pg", "nodemailer"],
  poweredByHeader: false,
  // proxy.ts makes Next.js buffer request bodies in memory; pages and actions take small forms
  // only (server actions stop at 1 MB too). Uploads are not matched by the proxy.
  experimental: { proxyClientMaxBodySize: "1mb" },
  async headers() {
    const common = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Referrer-Policy", value: "same-origin" },
      { key: "Permissions-Policy", value: "camera=(self), microphone=(), geolocation=()" },
    ];
    return [
      { source: "/:path*", headers: common },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiCsp }] },
    ];
  },
};
export default nextConfig;
