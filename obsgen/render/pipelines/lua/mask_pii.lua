-- Mask personal data inside free text before a record leaves its region (obsgen; seed 6.4 gdpr
-- log_anonymization). Runs in Fluent Bit's LuaJIT (Lua 5.1 patterns, no regex library):
--   IPv4 -> its /24 (203.0.113.7 -> 203.0.113.0), ports and text around it kept;
--   IPv6 -> its /48 (2001:db8:85a3:8d3::7348 -> 2001:db8:85a3::), compressed or full;
--   URL user info -> userinfo-redacted (https://bob:pw@host -> https://userinfo-redacted@host);
--   e-mail addresses, also URL-encoded (%40) -> email-redacted.
-- The replacements still parse as what they replace (grok IPORHOST, USER), so a masked line
-- parses where it is stored. Keys listed in OBSGEN_SKIP are left alone (hashed elsewhere).

local function octets_ok(a, b, c, d)
  return tonumber(a) <= 255 and tonumber(b) <= 255 and tonumber(c) <= 255 and tonumber(d) <= 255
end

local function mask_ipv4(s)
  return (s:gsub("(%d+)%.(%d+)%.(%d+)%.(%d+)", function(a, b, c, d)
    if #a > 3 or #b > 3 or #c > 3 or #d > 3 or not octets_ok(a, b, c, d) then
      return nil
    end
    return a .. "." .. b .. "." .. c .. ".0"
  end))
end

local function split_groups(part)
  local groups = {}
  if part == "" then return groups end
  for g in (part .. ":"):gmatch("([^:]*):") do groups[#groups + 1] = g end
  return groups
end

-- The first three groups of an IPv6 address, or nil when `token` is not one.
local function ipv6_prefix(token)
  local head, tail, double = token, "", false
  local at = token:find("::", 1, true)
  if at then
    head, tail, double = token:sub(1, at - 1), token:sub(at + 2), true
    if tail:find("::", 1, true) then return nil end
  end
  local hs, ts = split_groups(head), split_groups(tail)
  local count, named = 0, 0
  local all = {}
  for i, g in ipairs(hs) do all[#all + 1] = g end
  local last = ts[#ts] or hs[#hs]
  for i, g in ipairs(ts) do all[#all + 1] = g end
  for i, g in ipairs(all) do
    if i == #all and g:find(".", 1, true) then
      local a, b, c, d = g:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
      if not a or not octets_ok(a, b, c, d) then return nil end
      count = count + 2
    elseif g == "" or #g > 4 or g:find("[^%x]") then
      return nil
    else
      count = count + 1
    end
    named = named + 1
  end
  if double then
    if count > 7 or named < 2 then return nil end
  elseif count ~= 8 then
    return nil
  end
  local full = {}
  for _, g in ipairs(hs) do full[#full + 1] = g end
  if double then
    for _ = 1, 8 - count do full[#full + 1] = "0" end
  end
  for _, g in ipairs(ts) do full[#full + 1] = g end
  return full[1] .. ":" .. full[2] .. ":" .. full[3] .. "::"
end

local function mask_ips(s)
  return (s:gsub("[%x:%.]+", function(token)
    if token:find(":", 1, true) then
      local prefix = ipv6_prefix(token)
      if prefix then return prefix end
    end
    if token:find(".", 1, true) then return mask_ipv4(token) end
    return nil
  end))
end

local function mask_text(s)
  -- user info first, parked behind \1 markers so that the e-mail step cannot eat the host
  s = s:gsub("(%a[%w+.-]*://)[^/@%s\"'<>]+@", "%1\1\1")
  s = s:gsub("[%w._%%+-]+@[%w-]+%.[%w.-]*%a", "email-redacted")
  s = s:gsub("[%w._+-]+%%40[%w-]+%.[%w.-]*%a", "email-redacted")
  s = s:gsub("\1\1", "userinfo-redacted@")
  return mask_ips(s)
end

local function mask_value(value, skip)
  if type(value) == "string" then
    return mask_text(value)
  elseif type(value) == "table" then
    local out = {}
    for k, v in pairs(value) do
      out[k] = skip[k] and v or mask_value(v, {})
    end
    return out
  end
  return value
end

function obsgen_mask_pii(tag, timestamp, record)
  local out = mask_value(record, OBSGEN_SKIP or {})
  return 2, timestamp, out
end
