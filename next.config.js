// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and heavy server packages stay external to the server bundle.
  serverExternalPackages: ["onnxruntime-node", "sharp", "bullmq", "ioredis", "pg", "@prisma/adapter-pg", "nodemailer"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
