/**
 * The Lua scripts of the Redis store. Each multi-step change is one script,
 * so Redis runs it atomically; every key a script touches is one job's,
 * under one hash tag, so it runs on Redis Cluster too.
 */

/**
 * KEYS[1] the job's hash. ARGV: rank, the job's JSON, expiry in ms, channel, message.
 * Writes the status only if it ranks above every stored one (field `top`),
 * then publishes it: a job never goes back, whatever order writers come in.
 */
export const recordScript = `
local top = tonumber(redis.call('HGET', KEYS[1], 'top') or '-1e308')
if tonumber(ARGV[1]) <= top then return 0 end
redis.call('HSET', KEYS[1], 'top', ARGV[1], 'r' .. ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;

/** KEYS[1] the lease. ARGV: owner, ttl ms. Extends the lease only for the owner that holds it. */
export const renewScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * KEYS[1] the job's viewers (a sorted set: instance, until when, on Redis's
 * clock). ARGV: owner, ttl ms (0: the owner has no viewers any more). The
 * key lives as long as its latest note.
 */
export const viewScript = `
if tonumber(ARGV[2]) == 0 then redis.call('ZREM', KEYS[1], ARGV[1]) return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/** KEYS[1] the job's viewers. ARGV: owner. Drops the notes that ran out; answers how many other instances have viewers. */
export const viewersElsewhereScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local count = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then count = count - 1 end
return count
`;

/** KEYS[1] the lease. ARGV: owner. Deletes the lease only for the owner that holds it. */
export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * KEYS[1] the stream's hash (its address), KEYS[2] the set of its targets.
 * ARGV: the most targets, the number of targets to add, then those to add,
 * then those to remove. Removes, then adds, unless the stream would follow
 * more than the most (-2, nothing changed) or is gone (-1); else the count.
 */
export const changeStreamScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local adds = tonumber(ARGV[2])
local removing = {}
for i = 3 + adds, #ARGV do removing[ARGV[i]] = true end
local count = redis.call('SCARD', KEYS[2])
for member, _ in pairs(removing) do
  if redis.call('SISMEMBER', KEYS[2], member) == 1 then count = count - 1 end
end
local seen = {}
for i = 3, 2 + adds do
  local member = ARGV[i]
  if not seen[member] and (removing[member] or redis.call('SISMEMBER', KEYS[2], member) == 0) then count = count + 1 end
  seen[member] = true
end
if count > tonumber(ARGV[1]) then return -2 end
for member, _ in pairs(removing) do redis.call('SREM', KEYS[2], member) end
for i = 3, 2 + adds do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('PEXPIRE', KEYS[2], redis.call('PTTL', KEYS[1]))
return count
`;
