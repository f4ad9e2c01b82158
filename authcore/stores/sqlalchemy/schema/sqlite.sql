-- authcore's tables for SQLite: Auth.js's Prisma/Kysely layout. Dates are TEXT in
-- toISOString() form ('2026-01-31T12:00:00.000Z'), as @auth/kysely-adapter stores them on
-- SQLite. Foreign keys need `PRAGMA foreign_keys=ON` per connection (the store sets it).

CREATE TABLE "User" (
    id VARCHAR(255) NOT NULL,
    name TEXT,
    email VARCHAR(255),
    "emailVerified" VARCHAR(30),
    image TEXT,
    PRIMARY KEY (id),
    UNIQUE (email)
);

CREATE TABLE "VerificationToken" (
    identifier VARCHAR(255) NOT NULL,
    token VARCHAR(255) NOT NULL,
    expires VARCHAR(30) NOT NULL,
    PRIMARY KEY (identifier, token)
);

CREATE INDEX "ix_VerificationToken_expires" ON "VerificationToken" (expires);

CREATE TABLE "Account" (
    "userId" VARCHAR(255) NOT NULL,
    type VARCHAR(255) NOT NULL,
    provider VARCHAR(255) NOT NULL,
    "providerAccountId" VARCHAR(255) NOT NULL,
    refresh_token TEXT,
    access_token TEXT,
    expires_at BIGINT,
    token_type VARCHAR(255),
    scope TEXT,
    id_token TEXT,
    session_state TEXT,
    PRIMARY KEY (provider, "providerAccountId"),
    FOREIGN KEY("userId") REFERENCES "User" (id) ON DELETE CASCADE
);

CREATE INDEX "ix_Account_userId" ON "Account" ("userId");

CREATE TABLE "Authenticator" (
    "credentialID" VARCHAR(255) NOT NULL,
    "userId" VARCHAR(255) NOT NULL,
    "providerAccountId" VARCHAR(255) NOT NULL,
    "credentialPublicKey" TEXT NOT NULL,
    counter INTEGER NOT NULL,
    "credentialDeviceType" VARCHAR(255) NOT NULL,
    "credentialBackedUp" BOOLEAN NOT NULL,
    transports VARCHAR(255),
    PRIMARY KEY ("userId", "credentialID"),
    UNIQUE ("credentialID"),
    FOREIGN KEY("userId") REFERENCES "User" (id) ON DELETE CASCADE
);

CREATE TABLE "Session" (
    "sessionToken" VARCHAR(255) NOT NULL,
    "userId" VARCHAR(255) NOT NULL,
    expires VARCHAR(30) NOT NULL,
    PRIMARY KEY ("sessionToken"),
    FOREIGN KEY("userId") REFERENCES "User" (id) ON DELETE CASCADE
);

CREATE INDEX "ix_Session_expires" ON "Session" (expires);

CREATE INDEX "ix_Session_userId" ON "Session" ("userId");
