import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

// Any /api path that no route handles is a JSON 404, whatever the method: without this, Next.js
// reads a multipart POST to an unknown path as a server action and answers 400, which tells a
// client nothing (e.g. the selfie upload endpoint that issue 11 removed).
const notFound = () => NextResponse.json({ error: "not_found" }, { status: 404 });
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
