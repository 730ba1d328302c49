-- Driven by tests/editors.rs: Neovim's own LSP client (0.7 and later)
-- against `parity lsp` on a scenario file. Writes what it saw, one fact a
-- line, to $OUT; newlines inside a message become " | ".
local out = {}
local function say(s) table.insert(out, (s:gsub('\n', ' | '))) end
vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.FILE))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'parity',
  cmd = { vim.env.PARITY, '--no-config', 'lsp' },
  root_dir = vim.fn.getcwd(),
  on_exit = function(code) say('exit ' .. code) end,
})
vim.lsp.buf_attach_client(buf, id)
local function count() return #vim.diagnostic.get(buf) end
say('diagnostics ' .. tostring(vim.wait(30000, function() return count() > 0 end, 50)) .. ' ' .. count())
for _, d in ipairs(vim.diagnostic.get(buf)) do
  say(string.format('diagnostic %d:%d %d %s %s', d.lnum + 1, d.col + 1, d.severity, d.code or '?', d.message))
end
local client = vim.lsp.get_client_by_id(id)
local line = vim.fn.search('^    kind: embassy', 'n')
local answer = client.request_sync('textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = line - 1, character = 5 },
}, 10000, buf)
local contents = answer and answer.result and answer.result.contents
say('hover ' .. (contents and contents.value or 'none'))
-- An edit that breaks the file: an unknown receiver.
local before = count()
vim.api.nvim_buf_set_lines(buf, line - 2, line - 1, false, { '    receiver: NOWHERE' })
vim.wait(30000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'unknown-id' then return true end
  end
  return false
end, 50)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  if d.code == 'unknown-id' then say(string.format('edited %d:%d %s', d.lnum + 1, d.col + 1, d.message)) end
end
say('before ' .. before .. ' after ' .. count())
client.stop()
vim.wait(10000, function() return client.is_stopped() end, 50)
vim.wait(2000, function() return false end, 50)
vim.fn.writefile(out, vim.env.OUT)
vim.cmd('qa!')
