// Fails fast, in one line, on a Node.js older than the product supports. Plain JS: it must run on any Node.
const [major, minor] = process.versions.node.split('.').map(Number);
const needed = [22, 13];
if (major < needed[0] || (major === needed[0] && minor < needed[1])) {
  console.error(`fanout needs Node.js >= ${needed.join('.')} (24 recommended, the Lambda runtime); found ${process.versions.node}. Install it with: npm i -g --prefix ~/.node24 node@24 && export PATH=~/.node24/bin:$PATH`);
  process.exit(1);
}
