"""The Lua scripts behind every write that must be atomic. A script runs alone on the server,
so an index can never point at a record that is not there (and the reverse), and a
verification token or a session is deleted exactly once. Writes that merge a patch into a
record are compare-and-set: the script returns 0 when the record changed since it was read,
and the caller reads again. Errors start with "AUTHCORE" and never carry a token."""

from __future__ import annotations

__all__ = ["SCRIPTS"]

_EXTEND = """
local function extend(key, at)
  local ttl = redis.call('PTTL', key)
  local now = redis.call('TIME')
  local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  if tonumber(at) > now_ms and (ttl == -1 or now_ms + ttl < tonumber(at)) then
    redis.call('PEXPIREAT', key, at)
  end
end
"""

SCRIPTS: dict[str, str] = {
    # KEYS user, email-or-''; ARGV json, id
    "create_user": """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('AUTHCORE duplicate user id')
end
if KEYS[2] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.error_reply('AUTHCORE duplicate email')
end
redis.call('SET', KEYS[1], ARGV[1])
if KEYS[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2]) end
return 1
""",
    # KEYS email; ARGV prefix
    "user_by_email": """
local id = redis.call('GET', KEYS[1])
if not id then return false end
return redis.call('GET', ARGV[1] .. 'user:' .. id)
""",
    # KEYS account; ARGV prefix
    "user_by_account": """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
return redis.call('GET', ARGV[1] .. 'user:' .. cjson.decode(raw).user_id)
""",
    # KEYS user, old-email-or-'', new-email-or-''; ARGV expected, json, id
    "replace_user": """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if KEYS[3] ~= KEYS[2] then
  if KEYS[3] ~= '' then
    local owner = redis.call('GET', KEYS[3])
    if owner and owner ~= ARGV[3] then return redis.error_reply('AUTHCORE duplicate email') end
    redis.call('SET', KEYS[3], ARGV[3])
  end
  if KEYS[2] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
""",
    # KEYS user, email-or-'', user-sessions, user-accounts, user-authenticators
    # ARGV expected, prefix, id
    "delete_user": """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for _, t in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  redis.call('DEL', ARGV[2] .. 'session:' .. t)
end
for _, a in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  redis.call('DEL', ARGV[2] .. 'account:' .. a)
end
for _, c in ipairs(redis.call('SMEMBERS', KEYS[5])) do
  redis.call('DEL', ARGV[2] .. 'authenticator:' .. c)
end
if KEYS[2] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5])
return 1
""",
    # KEYS record, user, user-index; ARGV json, member, what
    "create_owned": """
if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('AUTHCORE no such user') end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  return redis.error_reply('AUTHCORE duplicate ' .. ARGV[3])
end
redis.call('SADD', KEYS[3], ARGV[2])
return 1
""",
    # KEYS record; ARGV prefix, index family, member
    "delete_owned": """
local raw = redis.call('GETDEL', KEYS[1])
if not raw then return false end
redis.call('SREM', ARGV[1] .. ARGV[2] .. ':' .. cjson.decode(raw).user_id, ARGV[3])
return raw
""",
    # KEYS session, user, user-sessions; ARGV json, expires-ms, token, prefix
    "create_session": _EXTEND
    + """
if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('AUTHCORE no such user') end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PXAT', ARGV[2]) then
  return redis.error_reply('AUTHCORE duplicate session token')
end
for _, t in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('EXISTS', ARGV[4] .. 'session:' .. t) == 0 then redis.call('SREM', KEYS[3], t) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('SADD', KEYS[3], ARGV[3])
  extend(KEYS[3], ARGV[2])
end
return 1
""",
    # KEYS session; ARGV prefix
    "session_and_user": """
local s = redis.call('GET', KEYS[1])
if not s then return false end
local u = redis.call('GET', ARGV[1] .. 'user:' .. cjson.decode(s).user_id)
if not u then return false end
return {s, u}
""",
    # KEYS session, user-sessions; ARGV expected, json, expires-ms
    "replace_session": _EXTEND
    + """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[3])
extend(KEYS[2], ARGV[3])
return 1
""",
    # KEYS record; ARGV expected, json
    "replace": """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
""",
    # KEYS record; ARGV expected
    "delete_if": """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
""",
    # KEYS user-authenticators; ARGV prefix
    "list_authenticators": """
local out = {}
for _, c in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local raw = redis.call('GET', ARGV[1] .. 'authenticator:' .. c)
  if raw then table.insert(out, raw) end
end
return out
""",
    # KEYS user-sessions; ARGV prefix
    "prune_sessions": """
local n = 0
for _, t in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'session:' .. t) == 0 then
    redis.call('SREM', KEYS[1], t)
    n = n + 1
  end
end
return n
""",
}
