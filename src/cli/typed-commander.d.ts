// The types of typed-commander.js: commander's classes as @commander-js/extra-typings describes them
// (its types infer each option's and argument's type from the definition). The run time is plain
// commander: extra-typings' own index.js (which makes a program of its own on load) is never loaded.
export { Argument, Command, Option } from '@commander-js/extra-typings';
