// @ts-check

// Security headers on every response. Next.js's App Router bootstraps with inline scripts and React
// style attributes, hence 'unsafe-inline' for those two; everything else is same-origin only, and no
// site may frame Veil (clickjacking of consent buttons).
const csp = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'self'",
  "object-src 'none'",
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
      { key: "Content-Security-Policy", value: csp },
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Referrer-Policy", value: "same-origin" },
      { key: "Permissions-Policy", value: "camera=(self), microphone=(), geolocation=()" },
    ];
    // HSTS only where the app is served over HTTPS in production (APP_URL https://...).
    if ((process.env.APP_URL ?? "").startsWith("https://")) {
      common.push({ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" });
    }
    return [{ source: "/:path*", headers: common }];
  },
};
export default nextConfig;
