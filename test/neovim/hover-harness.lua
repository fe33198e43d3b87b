-- Run by test/neovim/neovim.test.ts after docs/editors.md's Neovim 0.7 block: opens a file, hovers (and reads its
-- diagnostics when asked), writes the result as JSON.
local out_path = os.getenv('SYSARG_NVIM_OUT')
local file = os.getenv('SYSARG_NVIM_FILE')
local line = tonumber(os.getenv('SYSARG_NVIM_LINE'))
local character = tonumber(os.getenv('SYSARG_NVIM_CHARACTER'))

local function finish(result)
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function sysarg_client(bufnr)
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'sysarg' and client.initialized then
      return client
    end
  end
  return nil
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local filetype = vim.bo[bufnr].filetype
  if not vim.wait(20000, function() return sysarg_client(bufnr) ~= nil end, 50) then
    return finish({ status = 'not-attached', filetype = filetype })
  end
  local client = sysarg_client(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line, character = character },
  }
  local response, request_err = client.request_sync('textDocument/hover', params, 20000, bufnr)
  -- With SYSARG_NVIM_WAIT_CODE, also the buffer's diagnostics once one with that code has come.
  local wait_code = os.getenv('SYSARG_NVIM_WAIT_CODE')
  local diagnostics = vim.NIL
  if wait_code and wait_code ~= '' then
    local function code_of(d)
      return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    end
    vim.wait(15000, function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if code_of(d) == wait_code then return true end
      end
      return false
    end, 50)
    diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, code = code_of(d) or vim.NIL, message = d.message })
    end
  end
  finish({ status = 'ok', filetype = filetype, response = response, error = request_err and tostring(request_err) or vim.NIL, diagnostics = diagnostics })
end)
if not ok then
  finish({ status = 'error', message = tostring(err) })
end
