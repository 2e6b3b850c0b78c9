-- ward.nvim: starts `ward lsp` for every file buffer, shows its diagnostics
-- and masks each secret on screen with an overlay extmark (●) covering
-- exactly the range the server reports in `ward/secretRanges`
-- (see docs/lsp.md).  Works with Neovim 0.7 and later.
--
--   require('ward').setup({ cmd = { 'ward', 'lsp' }, masked = true })
--   :WardReveal  :WardMask  :WardToggle  :WardScan
--
-- Quickfix lists (:grep, :vimgrep, ...) show matching lines as text: after
-- each one the plugin sends those lines to the server as a scratch
-- document, asks for its diagnostics (a pull request, answered at once) and
-- displays the list through a quickfixtextfunc that masks what was found.
-- Keyword completion (<C-n>) cannot be filtered: see docs/lsp.md.
local M = {}

local QF_URI = 'ward-quickfix:///list'
local refresh_lists -- defined with the quickfix code below

local ns = vim.api.nvim_create_namespace('ward_mask')
local state = {
  client_id = nil,
  masked = true,
  ranges = {}, -- bufnr -> list of LSP ranges (server encoding)
  opts = {},
}

local function client()
  return state.client_id and vim.lsp.get_client_by_id(state.client_id) or nil
end

-- Byte column of an LSP character offset on a line.
local function byte_col(line_text, character, encoding)
  if encoding == 'utf-8' then
    return math.min(character, #line_text)
  end
  local ok, col = pcall(vim.str_byteindex, line_text, character, encoding ~= 'utf-32')
  if ok then
    return col
  end
  return #line_text
end

local function clear(bufnr)
  if vim.api.nvim_buf_is_valid(bufnr) then
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  end
end

-- Draws one overlay per line of each secret: as many ● as characters.
function M.mask(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  clear(bufnr)
  if not state.masked or not vim.api.nvim_buf_is_valid(bufnr) then
    return
  end
  local c = client()
  local encoding = c and c.offset_encoding or 'utf-16'
  for _, r in ipairs(state.ranges[bufnr] or {}) do
    for row = r.start.line, r['end'].line do
      local text = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1]
      if text then
        local s = row == r.start.line and byte_col(text, r.start.character, encoding) or 0
        local e = row == r['end'].line and byte_col(text, r['end'].character, encoding) or #text
        if e > s then
          local n = vim.fn.strchars(text:sub(s + 1, e))
          pcall(vim.api.nvim_buf_set_extmark, bufnr, ns, row, s, {
            end_row = row,
            end_col = e,
            virt_text = { { string.rep('●', n), 'WardMask' } },
            virt_text_pos = 'overlay',
            hl_mode = 'combine',
            priority = 200,
          })
        end
      end
    end
  end
end

-- The extmarks now masking a buffer: { {row, col, end_row, end_col}, ... }.
function M.masks(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local out = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })) do
    table.insert(out, { m[2], m[3], m[4].end_row, m[4].end_col })
  end
  return out
end

-- :WardReveal and :WardMask set one state for the whole session: every
-- buffer, those opened later, and quickfix lists follow it.
function M.reveal()
  state.masked = false
  for bufnr, _ in pairs(state.ranges) do
    clear(bufnr)
  end
  refresh_lists()
end

function M.remask()
  state.masked = true
  for bufnr, _ in pairs(state.ranges) do
    M.mask(bufnr)
  end
  refresh_lists()
end

function M.toggle()
  if state.masked then M.reveal() else M.remask() end
end

function M.scan()
  local c = client()
  if c then
    c.request('workspace/executeCommand', { command = 'ward.scanWorkspace' }, function(err, res)
      if err then
        vim.notify('ward: ' .. err.message, vim.log.levels.ERROR)
      elseif res then
        vim.notify(string.format('ward: %d findings in %d files', res.findings, res.files))
      end
    end)
  end
end

local function on_secret_ranges(_, result, ctx)
  if not result or not result.uri or result.uri == QF_URI then
    return
  end
  local bufnr = vim.uri_to_bufnr(result.uri)
  -- A reply to an older version: a newer one is on its way.
  local current = vim.lsp.util.buf_versions and vim.lsp.util.buf_versions[bufnr]
  if result.version ~= nil and result.version ~= vim.NIL and current and result.version ~= current then
    return
  end
  state.ranges[bufnr] = result.ranges or {}
  M.mask(bufnr)
  state.last = { bufnr = bufnr, version = result.version, n = #state.ranges[bufnr], ctx = ctx and ctx.client_id }
end

-- ---- quickfix lists ----------------------------------------------------

state.qf = {} -- quickfix list id -> { [entry index] = { {s, e}, ... } } byte spans

-- Scans the current quickfix (or location) list's texts with the server and
-- remembers where secrets are, per entry.
local function scan_list(loclist)
  local c = client()
  if not c then
    return
  end
  local get = loclist and function(what) return vim.fn.getloclist(0, what) end or vim.fn.getqflist
  local info = get({ id = 0, items = 1 })
  local lines = {}
  for i, item in ipairs(info.items or {}) do
    lines[i] = (item.text or ''):gsub('\n', ' ')
  end
  local spans = {}
  if #lines > 0 then
    local text = table.concat(lines, '\n') .. '\n'
    c.notify('textDocument/didOpen', { textDocument = { uri = QF_URI, languageId = 'plaintext', version = 1, text = text } })
    local res = c.request_sync('textDocument/diagnostic', { textDocument = { uri = QF_URI } }, 2000)
    c.notify('textDocument/didClose', { textDocument = { uri = QF_URI } })
    local items = res and res.result and res.result.items
    if not items then
      -- no answer: hide every text rather than risk showing a secret
      for i = 1, #lines do spans[i] = { { 0, #lines[i] } } end
    else
      local encoding = c.offset_encoding or 'utf-16'
      for _, d in ipairs(items) do
        for row = d.range.start.line, d.range['end'].line do
          local l = lines[row + 1]
          if l then
            local s = row == d.range.start.line and byte_col(l, d.range.start.character, encoding) or 0
            local e = row == d.range['end'].line and byte_col(l, d.range['end'].character, encoding) or #l
            spans[row + 1] = spans[row + 1] or {}
            table.insert(spans[row + 1], { s, e })
          end
        end
      end
    end
  end
  state.qf[info.id] = spans
  local set = loclist and function(w) vim.fn.setloclist(0, {}, 'a', w) end or function(w) vim.fn.setqflist({}, 'a', w) end
  set({ id = info.id, quickfixtextfunc = 'WardQuickfixText' })
end

-- quickfixtextfunc: each entry as "file|line col| text", its secrets masked
-- (●, one per character) while masking is on.
function M.qftext(info)
  local get = info.quickfix == 1 and vim.fn.getqflist or function(w) return vim.fn.getloclist(info.winid, w) end
  local items = get({ id = info.id, items = 1 }).items
  local spans = state.qf[info.id] or {}
  local out = {}
  for i = info.start_idx, info.end_idx do
    local it = items[i]
    local text = (it.text or ''):gsub('\n', ' ')
    if state.masked and spans[i] then
      table.sort(spans[i], function(a, b) return a[1] > b[1] end)
      for _, sp in ipairs(spans[i]) do
        local n = vim.fn.strchars(text:sub(sp[1] + 1, sp[2]))
        text = text:sub(1, sp[1]) .. string.rep('●', n) .. text:sub(sp[2] + 1)
      end
    end
    local name = it.bufnr > 0 and vim.fn.fnamemodify(vim.fn.bufname(it.bufnr), ':.') or ''
    local pos = it.lnum > 0 and (it.lnum .. (it.col > 0 and ' col ' .. it.col or '')) or ''
    table.insert(out, string.format('%s|%s| %s', name, pos, text))
  end
  return out
end

-- (a Vim function: Neovim 0.7 does not take v:lua here)
vim.cmd([[
function! WardQuickfixText(info) abort
  return luaeval("require'ward'.qftext(_A)", a:info)
endfunction
]])

-- Redraws open quickfix windows after the masking state changed.
refresh_lists = function()
  for id, _ in pairs(state.qf) do
    -- setting the same items again makes an open window draw them anew
    local ok, l = pcall(vim.fn.getqflist, { id = id, items = 1, idx = 0 })
    if ok and l.items and #l.items > 0 then
      pcall(vim.fn.setqflist, {}, 'r', { id = id, items = l.items, idx = l.idx, quickfixtextfunc = 'WardQuickfixText' })
    end
  end
end

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  local git = vim.fn.finddir('.git', start .. ';')
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return vim.fn.getcwd()
end

local function ensure_client(bufnr)
  if client() then
    return state.client_id
  end
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  capabilities.offsetEncoding = { 'utf-8', 'utf-16' }
  local root = root_dir(bufnr)
  state.client_id = vim.lsp.start_client({
    name = 'ward',
    cmd = state.opts.cmd or { 'ward', 'lsp' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    capabilities = capabilities,
    init_options = state.opts.init_options,
    handlers = {
      ['ward/secretRanges'] = on_secret_ranges,
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and result.uri == QF_URI then
          return -- the quickfix scratch document is not a buffer
        end
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
      end,
    },
    on_init = function(c, result)
      if result and result.offsetEncoding then
        c.offset_encoding = result.offsetEncoding
      end
    end,
    on_exit = function()
      state.client_id = nil
      for b, _ in pairs(state.ranges) do
        clear(b)
      end
      state.ranges = {}
    end,
  })
  return state.client_id
end

function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.bo[bufnr].buftype ~= '' then
    return
  end
  local id = ensure_client(bufnr)
  if id and not vim.lsp.buf_is_attached(bufnr, id) then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  state.opts = opts or {}
  if state.opts.masked == false then
    state.masked = false
  end
  vim.api.nvim_set_hl(0, 'WardMask', { default = true, link = 'Comment' })
  local group = vim.api.nvim_create_augroup('ward', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
    group = group,
    callback = function(a) M.attach(a.buf) end,
  })
  vim.api.nvim_create_autocmd('QuickFixCmdPost', {
    group = group,
    callback = function(a)
      scan_list(a.match:sub(1, 1) == 'l')
    end,
  })
  vim.api.nvim_create_autocmd('BufWipeout', {
    group = group,
    callback = function(a) state.ranges[a.buf] = nil end,
  })
  -- Extmarks follow edits by themselves; after each change the server sends
  -- the new version's ranges (ward/secretRanges) and the masks are redrawn.
  vim.api.nvim_create_user_command('WardReveal', M.reveal, { desc = 'ward: show secrets' })
  vim.api.nvim_create_user_command('WardMask', M.remask, { desc = 'ward: mask secrets' })
  vim.api.nvim_create_user_command('WardToggle', M.toggle, { desc = 'ward: toggle masking' })
  vim.api.nvim_create_user_command('WardScan', M.scan, { desc = 'ward: scan the workspace' })
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.api.nvim_buf_get_name(b) ~= '' then
      M.attach(b)
    end
  end
end

M._state = state
return M
