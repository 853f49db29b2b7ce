const path = require('path');
const { task, src, dest } = require('gulp');

function copyIcons(folder) {
	return new Promise((resolve, reject) => {
		src(path.resolve(folder, '**', '*.{png,svg}'), { encoding: false })
			.pipe(dest(path.resolve('dist', folder)))
			.on('finish', resolve)
			.on('error', reject);
	});
}

task('build:icons', () => Promise.all([copyIcons('nodes'), copyIcons('credentials')]));
