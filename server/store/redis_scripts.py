"""The Lua scripts of the Redis store: each runs atomically in Redis."""

# KEYS: seq, records, log, opkeys, secrets, sessions, audit.  ARGV: expected seq, op key,
# new seq, log entry, log limit, n, session hash (or ''), audit entry (or ''), touch ('1'
# or ''), then n field/value pairs of records, then field/value pairs of secrets ('' deletes
# the field). With touch, a duplicate writes its op key again (see FIND_OP).
COMMIT = """
local first = redis.call('HGET', KEYS[4], ARGV[2])
if first then
  if ARGV[9] == '1' then redis.call('HSET', KEYS[4], ARGV[2], first) end
  return {'duplicate', first}
end
if ARGV[7] ~= '' and redis.call('SISMEMBER', KEYS[6], ARGV[7]) == 0 then
  return {'session_ended', '0'}
end
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then return {'conflict', '0'} end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[5]))
local last = 9 + 2 * tonumber(ARGV[6])
for i = 10, last, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = last + 1, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[5], ARGV[i])
  else redis.call('HSET', KEYS[5], ARGV[i], ARGV[i + 1]) end
end
if ARGV[8] ~= '' then redis.call('RPUSH', KEYS[7], ARGV[8]) end
return {'committed', ARGV[3]}
"""

# KEYS: opkeys.  ARGV: op key.  The op's seq, or nil. Found, it is written again: a WAIT
# after this then also covers the op's first commit (WAIT counts the replicas that have
# this connection's last write), which may not have reached a replica yet.
FIND_OP = """
local first = redis.call('HGET', KEYS[1], ARGV[1])
if first then redis.call('HSET', KEYS[1], ARGV[1], first) end
return first
"""

# KEYS: seq, records.  ARGV: field/value pairs.  Never overwrites an existing meeting.
CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('SET', KEYS[1], '0')
return 1
"""

# A counter: a hash of its value and the end of its window (the caller's clock); Redis
# forgets it a while after the window ends.
COUNT = """
local ends = tonumber(redis.call('HGET', KEYS[1], 'until'))
if not ends or ends <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'until', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
local value = redis.call('HINCRBY', KEYS[1], 'value', ARGV[1])
if value < 0 then
  redis.call('HSET', KEYS[1], 'value', 0)
  value = 0
end
return value
"""

# KEYS: a family's meetings hash.  ARGV: meeting id, its entry, the entry's seq.  An entry
# taken at an earlier seq than the kept one changes nothing (workers may finish out of order).
PUT_FAMILY_MEETING = """
local kept = redis.call('HGET', KEYS[1], ARGV[1])
if kept and cjson.decode(kept)['seq'] > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# KEYS: a staff member's families (sorted by activity).  ARGV: family id, activity.
LIST_FAMILY = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return 1
"""

# KEYS: the upgrade lock.  ARGV: the holder's token.  Only its holder lets it go.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""
