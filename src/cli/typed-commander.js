// commander's own classes, at run time: typed-commander.d.ts beside this file types them with
// @commander-js/extra-typings (types only), so each action receives its options typed.
export { Argument, Command, Option } from 'commander';
