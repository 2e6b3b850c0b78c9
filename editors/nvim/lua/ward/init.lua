-- ward.nvim: starts `ward lsp` for every file buffer, shows its diagnostics
-- and masks each secret on screen with an overlay extmark (●) covering
-- exactly the range the server reports in `ward/secretRanges`
-- (see docs/lsp.md).  Works with Neovim 0.7 and later.
--
--   require('ward').setup({ cmd = { 'ward', 'lsp' }, masked = true })
--   :WardReveal  :WardMask  :WardToggle  :WardScan
local M = {}

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

function M.reveal()
  state.masked = false
  for bufnr, _ in pairs(state.ranges) do
    clear(bufnr)
  end
end

function M.remask()
  state.masked = true
  for bufnr, _ in pairs(state.ranges) do
    M.mask(bufnr)
  end
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
  if not result or not result.uri then
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
    handlers = { ['ward/secretRanges'] = on_secret_ranges },
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
