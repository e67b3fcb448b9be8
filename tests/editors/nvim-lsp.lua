-- Neovim's own LSP client against `kzlint lsp`: opens the file named by
-- $KZLINT_FILE, waits for kzlint's diagnostics, and writes each as
-- "line:byte-column:rule" (both 1-based; Neovim turns the protocol's UTF-16
-- positions into bytes) to $KZLINT_OUT. Run: nvim --headless -u NONE -c 'luafile …'
local out = assert(io.open(os.getenv('KZLINT_OUT'), 'w'))
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('KZLINT_FILE')))
local client = vim.lsp.start_client({
  name = 'kzlint',
  cmd = { os.getenv('KZLINT'), 'lsp' },
  root_dir = vim.fn.getcwd(),
})
vim.lsp.buf_attach_client(0, client)
local published = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not published then
  out:write('no diagnostics within 30 s\n')
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
  out:write(string.format('%d:%d:%s\n', d.lnum + 1, d.col + 1, code))
end
out:close()
vim.lsp.stop_client(client)
vim.cmd('qa!')
